using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Aws;
using Provisioner.Tests.Fakes.Ec2;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>The EC2 adapter over real HTTP against the strict local EC2, signed by AWSSDK.Core's signer.</summary>
public sealed class Ec2CloudProviderTests : IAsyncLifetime
{
    private const string Image = "ami-0123456789abcdef0";
    private LocalEc2 _ec2 = null!;
    private ServiceProvider _http = null!;

    public async Task InitializeAsync()
    {
        _ec2 = await LocalEc2.StartAsync();
        _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
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

        await Task.Delay(_ec2.PendingTime + TimeSpan.FromMilliseconds(100));
        var running = await sut.DescribeAsync("us-east-1", machine.CloudInstanceId, CancellationToken.None);
        running!.State.Should().Be(CloudMachineState.Running);
        running.PublicIp.Should().StartWith("198.51.100.");
        running.PrivateIp.Should().StartWith("10.1.");
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
    public async Task Launch_Repeated_ReturnsTheSameMachine_AndAChangedSpecIsRefused()
    {
        var sut = Provider();
        var spec = Spec();

        var first = await sut.LaunchAsync(spec, CancellationToken.None);
        var again = await sut.LaunchAsync(spec, CancellationToken.None);
        var changed = () => sut.LaunchAsync(spec with { InstanceType = "p3.2xlarge" }, CancellationToken.None);

        again.CloudInstanceId.Should().Be(first.CloudInstanceId);
        _ec2.Instances.Should().ContainSingle();
        var error = (await changed.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.InvalidRequest);
        error.CloudCode.Should().Be("IdempotentParameterMismatch");
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

    [Theory]
    [InlineData("RequestLimitExceeded", 503, CloudErrorKind.Throttled)]
    [InlineData("InsufficientInstanceCapacity", 500, CloudErrorKind.InsufficientCapacity)]
    [InlineData("VcpuLimitExceeded", 400, CloudErrorKind.QuotaExceeded)]
    [InlineData("InvalidParameterValue", 400, CloudErrorKind.InvalidRequest)]
    [InlineData("UnauthorizedOperation", 403, CloudErrorKind.Unauthorized)]
    [InlineData("InternalError", 500, CloudErrorKind.Transient)]
    public async Task CloudErrors_SurfaceAsTheirClass(string code, int status, CloudErrorKind kind)
    {
        _ec2.FailNext("RunInstances", new Ec2ErrorException(code, $"{code} from the local EC2", status));

        var act = () => Provider().LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(kind);
        error.CloudCode.Should().Be(code);
        error.CloudMessage.Should().Be($"{code} from the local EC2");
    }

    [Fact]
    public async Task Terminate_ThenDescribe_ShowsShuttingDownThenTerminated_AndUnknownIsNotFound()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);

        await sut.TerminateAsync("us-east-1", machine.CloudInstanceId, CancellationToken.None);
        (await sut.DescribeAsync("us-east-1", machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.ShuttingDown);
        await Task.Delay(_ec2.ShutdownTime + TimeSpan.FromMilliseconds(100));
        (await sut.DescribeAsync("us-east-1", machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.Terminated);
        await sut.TerminateAsync("us-east-1", machine.CloudInstanceId, CancellationToken.None);

        (await sut.DescribeAsync("us-east-1", "i-0000000000000dead", CancellationToken.None)).Should().BeNull();
        var unknown = () => sut.TerminateAsync("us-east-1", "i-0000000000000dead", CancellationToken.None);
        (await unknown.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.NotFound);
        (await sut.DescribeAsync("eu-west-1", machine.CloudInstanceId, CancellationToken.None)).Should().BeNull("machines live in their region");
    }

    [Fact]
    public async Task ListOwned_PagesThroughThisClustersLiveMachinesOnly()
    {
        var sut = Provider(pageSize: 5);
        var ours = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ours.Add((await sut.LaunchAsync(Spec(), CancellationToken.None)).CloudInstanceId);
        }

        await Provider(cluster: "someone-else").LaunchAsync(Spec(), CancellationToken.None);
        await sut.TerminateAsync("us-east-1", ours[0], CancellationToken.None);
        await Task.Delay(_ec2.ShutdownTime + TimeSpan.FromMilliseconds(100));

        var listed = await sut.ListOwnedAsync(CancellationToken.None);

        listed.Select(m => m.CloudInstanceId).Should().BeEquivalentTo(ours.Skip(1));
        _ec2.CallsTo("DescribeInstances").Should().Be(2, "six reservations at five a page are two pages");
        var spec = Spec();
        var launched = await sut.LaunchAsync(spec, CancellationToken.None);
        (await sut.FindByInstanceAsync("us-east-1", spec.InstanceId, CancellationToken.None))!.CloudInstanceId.Should().Be(launched.CloudInstanceId);
    }

    [Fact]
    public async Task Launch_WithoutAnImageForTheRegion_UsesThePublicDeepLearningAmiParameter()
    {
        await Provider(defaultImage: new AwsOptions().DefaultImage).LaunchAsync(Spec() with { Region = "eu-west-1" }, CancellationToken.None);

        _ec2.Instances.Single().ImageId.Should().Be("resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id");
    }

    [Fact]
    public async Task Launch_WithNoImageAtAll_IsInvalid()
    {
        var act = () => Provider().LaunchAsync(Spec() with { Region = "eu-west-1" }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.InvalidRequest);
        error.CloudCode.Should().Be("NoImageConfigured");
        _ec2.CallsTo("RunInstances").Should().Be(0);
    }

    private ICloudProvider Provider(string secret = LocalEc2.SecretKey, string cluster = "ec2-tests", int pageSize = 1000, string? defaultImage = null)
    {
        var aws = Options.Create(new AwsOptions
        {
            Enabled = true,
            Endpoint = _ec2.Endpoint,
            Regions = ["us-east-1"],
            Images = new Dictionary<string, string> { ["us-east-1"] = Image },
            ListPageSize = pageSize,
            DefaultImage = defaultImage,
        });
        var client = new Ec2QueryClient(_http.GetRequiredService<IHttpClientFactory>(),
            new Ec2RequestSigner(() => new BasicAWSCredentials(LocalEc2.AccessKey, secret)), aws);
        return new Ec2CloudProvider(client, aws, Options.Create(new ProvisionerOptions { ClusterName = cluster }), InstanceTypeCatalog.LoadEmbedded());
    }

    private static LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "g4dn.xlarge", "us-east-1", 120,
            new Dictionary<string, string> { ["team"] = "vision" }, TimeProvider.System.GetUtcNow().AddHours(1));
    }
}
