using Amazon.Runtime;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Aws;
using Provisioner.Tests.Fakes.Ec2;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Contracts;

/// <summary>
/// The port's contract against the EC2 adapter: AWSSDK.EC2 over real HTTP to the strict local EC2, which checks
/// every SigV4 signature. The local EC2's clock is a manual one that starts at the real time, so signatures stay fresh.
/// </summary>
public sealed class AwsEc2ContractTests : CloudProviderContract
{
    private const string Image = "ami-0123456789abcdef0";
    private readonly ManualClock _clock = new(TimeProvider.System.GetUtcNow());
    private readonly List<IDisposable> _clients = [];
    private LocalEc2 _ec2 = null!;

    public override async Task InitializeAsync()
    {
        _ec2 = await LocalEc2.StartAsync();
        _ec2.Clock = _clock;
        _ec2.PendingTime = TimeSpan.FromSeconds(5);
        _ec2.StatusCheckTime = TimeSpan.FromSeconds(10);
        _ec2.ShutdownTime = TimeSpan.FromSeconds(2);
    }

    public override async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _ec2.DisposeAsync();
    }

    protected override string OtherInstanceType => "p3.2xlarge";

    protected override string UnknownMachineId => "i-0000000000000dead";

    protected override TimeSpan BootTime => _ec2.PendingTime;

    protected override TimeSpan ChecksTime => _ec2.StatusCheckTime;

    protected override TimeSpan ShutdownTime => _ec2.ShutdownTime;

    /// <summary>Every class a launch can meet (NotFound is met by describe and terminate, covered by their own rules).</summary>
    protected override IReadOnlyCollection<CloudErrorKind> InjectableLaunchErrors => Codes.Keys;

    protected override int? LaunchCallsReceived => _ec2.CallsTo("RunInstances");

    private static readonly Dictionary<CloudErrorKind, (string Code, int Status)> Codes = new()
    {
        [CloudErrorKind.Throttled] = ("RequestLimitExceeded", 503),
        [CloudErrorKind.Transient] = ("InternalError", 500),
        [CloudErrorKind.InsufficientCapacity] = ("InsufficientInstanceCapacity", 500),
        [CloudErrorKind.QuotaExceeded] = ("VcpuLimitExceeded", 400),
        [CloudErrorKind.InvalidRequest] = ("InvalidParameterValue", 400),
        [CloudErrorKind.Unauthorized] = ("UnauthorizedOperation", 403),
    };

    protected override ICloudProvider Provider(string cluster = "contract", int pageSize = 1000)
    {
        var aws = Options.Create(new AwsOptions
        {
            Enabled = true,
            Endpoint = _ec2.Endpoint,
            Regions = ["us-east-1"],
            Images = new Dictionary<string, string> { ["us-east-1"] = Image },
            ListPageSize = pageSize,
        });
        var clients = new AwsClientFactory(aws, new BasicAWSCredentials(LocalEc2.AccessKey, LocalEc2.SecretKey));
        _clients.Add(clients);
        return new AwsCloudProvider(clients, aws, Options.Create(new ProvisionerOptions { ClusterName = cluster }), InstanceTypeCatalog.LoadEmbedded());
    }

    protected override LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "g4dn.xlarge", "us-east-1", 120,
            new Dictionary<string, string> { ["team"] = "vision" }, _clock.GetUtcNow().AddHours(1));
    }

    protected override Task PassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    protected override Task<string> FailNextLaunchAsync(CloudErrorKind kind, LaunchSpec spec)
    {
        var (code, status) = Codes[kind];
        _ec2.FailNext("RunInstances", new Ec2ErrorException(code, $"{code} from the local EC2", status));
        return Task.FromResult(code);
    }

    protected override void StopFailing()
    {
        // Each injected error is used up by the one call it fails.
    }

    protected override async Task<(CloudMachine Machine, string Code)> LaunchOneTheCloudGivesUpOnAsync(ICloudProvider sut)
    {
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        _ec2.EndByCloud(machine.CloudInstanceId, "Server.InsufficientInstanceCapacity", "Server.InsufficientInstanceCapacity: Insufficient capacity.");
        return (machine, "Server.InsufficientInstanceCapacity");
    }

    protected override void StopSelling(string instanceType, string region) => _ec2.Withdraw(instanceType, region);

    protected override string StartSellingAnotherOfTheFamily()
    {
        _ec2.Offer("g4dn.metal");
        return "g4dn.metal";
    }

    protected override Task<string> ImpairAsync(string cloudInstanceId)
    {
        _ec2.Impair(cloudInstanceId);
        return Task.FromResult("instance status impaired (reachability failed)");
    }

    protected override Task<DateTimeOffset> StopOutsideAsync(string cloudInstanceId) => Task.FromResult(_ec2.StopOutside(cloudInstanceId));
}
