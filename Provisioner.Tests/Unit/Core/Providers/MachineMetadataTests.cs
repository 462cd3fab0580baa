using Ec2 = Amazon.EC2.Model;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers.Aws;
using Provisioner.Core.Providers.Novita;

namespace Provisioner.Tests.Unit.Core.Providers;

/// <summary>What each cloud reports about a machine reaches <c>CloudMachine.Metadata</c> in the cloud's own terms.</summary>
public sealed class MachineMetadataTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ec2_ToMachine_ReportsZoneTypeImageAndNetwork()
    {
        var ec2 = new Ec2.Instance
        {
            InstanceId = "i-0abc",
            State = new Ec2.InstanceState { Code = 16 },
            InstanceType = "g4dn.xlarge",
            ImageId = "ami-0123456789abcdef0",
            Placement = new Ec2.Placement { AvailabilityZone = "us-east-1b" },
            SubnetId = "subnet-1",
            VpcId = "vpc-1",
            Tags = [],
        };

        var sut = AwsMachines.ToMachine(ec2, "us-east-1", statusChecksPassed: true);

        sut.Metadata.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["region"] = "us-east-1", ["availabilityZone"] = "us-east-1b", ["instanceType"] = "g4dn.xlarge",
            ["imageId"] = "ami-0123456789abcdef0", ["subnetId"] = "subnet-1", ["vpcId"] = "vpc-1", ["lifecycle"] = "on-demand",
        });
    }

    [Fact]
    public void Novita_ToMachine_ReportsClusterProductAndGpus()
    {
        var novita = new NovitaInstance("n-1", "prov-US-CA-06-x", "US-CA-06", "running", null, "p-4090", "RTX 4090 24GB", 2m, 60m,
            "onDemand", null, new NovitaNetwork(null, "10.0.0.5"), new NovitaSsh(null, true), 0.35m, null);

        var sut = NovitaMachines.ToMachine(novita, "default", T0);

        sut.Metadata.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["clusterId"] = "US-CA-06", ["productId"] = "p-4090", ["productName"] = "RTX 4090 24GB", ["gpuNum"] = "2", ["billingMode"] = "onDemand",
        });
    }

    [Fact]
    public void Instance_RecordMetadata_AddsToWhatItHadAndKeepsTheSameObjectWhenNothingChanged()
    {
        var sut = Instance.Create(Guid.NewGuid(), "tenant", new InstanceSpec(
            "user-1", null, null, CloudProviderName.Aws, "g4dn.xlarge", "us-east-1", 100, 60, new Dictionary<string, string>()), 0.5m,
            Provisioner.Core.Billing.BillingRule.PerSecond, T0);

        sut.RecordMetadata(new Dictionary<string, string> { ["region"] = "us-east-1" });
        sut.RecordMetadata(new Dictionary<string, string> { ["availabilityZone"] = "us-east-1b" });
        var before = sut.Metadata;
        sut.RecordMetadata(new Dictionary<string, string> { ["region"] = "us-east-1" });
        sut.RecordMetadata(null);

        sut.Metadata.Should().BeEquivalentTo(new Dictionary<string, string> { ["region"] = "us-east-1", ["availabilityZone"] = "us-east-1b" });
        sut.Metadata.Should().BeSameAs(before, "an answer that changes nothing leaves the row unchanged");
    }
}
