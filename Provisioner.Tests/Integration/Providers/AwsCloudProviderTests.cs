using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Aws;
using Provisioner.Tests.Fakes.Ec2;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>
/// What only the EC2 adapter does, over AWSSDK.EC2 and real HTTP against the strict local EC2 (the rules every
/// adapter keeps are in <see cref="Contracts.AwsEc2ContractTests"/>).
/// </summary>
public sealed class AwsCloudProviderTests : IAsyncLifetime
{
    private const string Image = "ami-0123456789abcdef0";
    private LocalEc2 _ec2 = null!;
    private readonly List<IDisposable> _clients = [];

    public async Task InitializeAsync() => _ec2 = await LocalEc2.StartAsync();

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _ec2.DisposeAsync();
    }

    [Fact]
    public async Task Launch_SendsTokenTagsVolumeAndDeadManSwitch_ThenTheMachineRuns()
    {
        var sut = Provider();
        var spec = Spec();

        var machine = await sut.LaunchAsync(spec, CancellationToken.None);

        machine.State.Should().Be(CloudMachineState.Pending);
        machine.CloudInstanceId.Should().MatchRegex("^i-[0-9a-f]{17}$");
        machine.OwnerInstanceId.Should().Be(spec.InstanceId);
        var sent = _ec2.Instances.Single().LaunchParameters;
        sent["ClientToken"].Should().Be(LaunchTokens.For(spec.InstanceId));
        sent["InstanceInitiatedShutdownBehavior"].Should().Be("terminate");
        sent["BlockDeviceMapping.1.Ebs.VolumeSize"].Should().Be("120");
        sent["BlockDeviceMapping.1.Ebs.DeleteOnTermination"].Should().Be("true");
        sent["TagSpecification.2.ResourceType"].Should().Be("volume", "the volume carries our tags too");
        var userData = Encoding.UTF8.GetString(Convert.FromBase64String(sent["UserData"]));
        userData.Should().Contain((spec.Deadline + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        _ec2.Instances.Single().Tags.Should().Contain(new Dictionary<string, string>
        {
            [OwnershipTags.InstanceId] = spec.InstanceId.ToString(), [OwnershipTags.Owner] = "tenant-a", [OwnershipTags.Cluster] = "ec2-tests", ["team"] = "vision",
        });

        _ec2.Clock = new Support.ManualClock(TimeProvider.System.GetUtcNow() + _ec2.PendingTime + _ec2.StatusCheckTime);
        var running = await sut.DescribeAsync("us-east-1", machine.CloudInstanceId, CancellationToken.None);
        running!.State.Should().Be(CloudMachineState.Running);
        running.PublicIp.Should().StartWith("198.51.100.");
        running.PrivateIp.Should().StartWith("10.1.");
        _ec2.CallsTo("DescribeInstanceStatus").Should().Be(1, "EC2's running is ready only once its status checks pass");
    }

    [Fact]
    public async Task Throttled_IsOneCall_TheSdksOwnRetriesAreOff()
    {
        _ec2.FailNext("DescribeInstances", Ec2ErrorException.Throttled(), Ec2ErrorException.Throttled());

        var act = () => Provider().DescribeAsync("us-east-1", "i-0000000000000beef", CancellationToken.None);

        (await act.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.Throttled);
        _ec2.CallsTo("DescribeInstances").Should().Be(1, "the resilience pipeline owns retries; the SDK's would multiply them");
    }

    [Fact]
    public async Task ListOwned_AcrossRegions_PagesEachRegionInTurn()
    {
        var sut = Provider(regions: ["us-east-1", "eu-west-1"]);
        var east = await sut.LaunchAsync(Spec(), CancellationToken.None);
        var west = await sut.LaunchAsync(Spec() with { Region = "eu-west-1" }, CancellationToken.None);

        var first = await sut.ListOwnedAsync(null, CancellationToken.None);
        var second = await sut.ListOwnedAsync(first.NextPageToken, CancellationToken.None);

        first.Machines.Select(m => m.CloudInstanceId).Should().Equal(east.CloudInstanceId);
        second.Machines.Select(m => (m.CloudInstanceId, m.Region)).Should().Equal((west.CloudInstanceId, "eu-west-1"));
        second.NextPageToken.Should().BeNull();
    }

    [Fact]
    public async Task Launch_Spot_WithTheUsersScript_AsksForAOneTimeSpotMachineThatRunsBothScripts()
    {
        var spec = Spec() with { SpotMaxPrice = 0.35m, UserData = "#!/bin/sh\necho train" };

        await Provider().LaunchAsync(spec, CancellationToken.None);

        var sent = _ec2.Instances.Single().LaunchParameters;
        sent["InstanceMarketOptions.MarketType"].Should().Be("spot");
        sent["InstanceMarketOptions.SpotOptions.MaxPrice"].Should().Be("0.35");
        sent["InstanceMarketOptions.SpotOptions.SpotInstanceType"].Should().Be("one-time");
        sent["InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"].Should().Be("terminate");
        var userData = Encoding.UTF8.GetString(Convert.FromBase64String(sent["UserData"]));
        userData.Should().Contain("shutdown -P").And.Contain("echo train");
        userData.IndexOf("shutdown -P", StringComparison.Ordinal).Should().BeLessThan(userData.IndexOf("echo train", StringComparison.Ordinal),
            "the deadline guard is armed before the user's script runs");
    }

    [Fact]
    public async Task WrongSecret_IsUnauthorized()
    {
        var act = () => Provider(secret: "not-the-secret").LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.Unauthorized);
        error.CloudCode.Should().Be("AuthFailure");
        _ec2.Instances.Should().BeEmpty();
    }

    [Fact]
    public async Task Launch_WithoutAnImageForTheRegion_UsesThePublicDeepLearningAmiParameter()
    {
        await Provider(defaultImage: new AwsOptions().DefaultImage).LaunchAsync(Spec() with { Region = "us-west-2" }, CancellationToken.None);

        _ec2.Instances.Single().ImageId.Should().Be("resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id");
    }

    [Fact]
    public async Task Launch_WithNoImageAtAll_IsInvalid()
    {
        var act = () => Provider().LaunchAsync(Spec() with { Region = "us-west-2" }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.InvalidRequest);
        error.CloudCode.Should().Be("NoImageConfigured");
        _ec2.CallsTo("RunInstances").Should().Be(0);
    }

    [Fact]
    public async Task ReadStates_OneStatusCallPerHundredMachines_AndAMachineEc2ForgotIsLeftOut()
    {
        var sut = Provider();
        var machines = new List<CloudMachine>();
        for (var i = 0; i < 3; i++)
        {
            machines.Add(await sut.LaunchAsync(Spec(), CancellationToken.None));
        }

        _ec2.Clock = new Support.ManualClock(TimeProvider.System.GetUtcNow() + _ec2.PendingTime + _ec2.StatusCheckTime);
        var stoppedAt = _ec2.StopOutside(machines[2].CloudInstanceId);
        _ec2.Impair(machines[1].CloudInstanceId);
        var statusCalls = _ec2.CallsTo("DescribeInstanceStatus");
        var describeCalls = _ec2.CallsTo("DescribeInstances");

        var states = await sut.ReadStatesAsync(Spec().Region, [.. machines.Select(m => m.CloudInstanceId), "i-0000000000000dead"], CancellationToken.None);

        states.Select(s => (s.CloudInstanceId, s.State, s.Health)).Should().BeEquivalentTo(new[]
        {
            (machines[0].CloudInstanceId, CloudMachineState.Running, CloudMachineHealth.Ok),
            (machines[1].CloudInstanceId, CloudMachineState.Running, CloudMachineHealth.Impaired),
            (machines[2].CloudInstanceId, CloudMachineState.ShuttingDown, CloudMachineHealth.Unknown),
        });
        states.Single(s => s.CloudInstanceId == machines[1].CloudInstanceId).HealthDetail.Should().Be("instance status impaired (reachability failed)");
        states.Single(s => s.CloudInstanceId == machines[2].CloudInstanceId).StoppedAt.Should().BeCloseTo(stoppedAt, TimeSpan.FromSeconds(1), "EC2's reason text is to the second");
        (_ec2.CallsTo("DescribeInstanceStatus") - statusCalls).Should().Be(2, "the unknown id fails the first call, which is repeated without it");
        (_ec2.CallsTo("DescribeInstances") - describeCalls).Should().Be(1, "one call for the stopped machine's reason");
    }

    private ICloudProvider Provider(string secret = LocalEc2.SecretKey, string? defaultImage = null, List<string>? regions = null)
    {
        var aws = Options.Create(new AwsOptions
        {
            Enabled = true,
            Endpoint = _ec2.Endpoint,
            Regions = regions ?? ["us-east-1"],
            Images = new Dictionary<string, string> { ["us-east-1"] = Image, ["eu-west-1"] = Image },
            DefaultImage = defaultImage,
        });
        var clients = new AwsClientFactory(aws, new BasicAWSCredentials(LocalEc2.AccessKey, secret));
        _clients.Add(clients);
        return new AwsCloudProvider(clients, aws, Options.Create(new ProvisionerOptions { ClusterName = "ec2-tests" }), InstanceTypeCatalog.LoadEmbedded());
    }

    private static LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "g4dn.xlarge", "us-east-1", 120,
            new Dictionary<string, string> { ["team"] = "vision" }, TimeProvider.System.GetUtcNow().AddHours(1));
    }
}
