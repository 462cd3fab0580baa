using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Azure;
using Provisioner.Tests.Fakes.Arm;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Contracts;

/// <summary>
/// The port's contract against the Azure adapter: Azure.ResourceManager.Compute over real HTTPS to the strict local
/// ARM, which checks the bearer token and api-version of every call. The local ARM's clock is a manual one.
/// </summary>
public sealed class AzureContractTests : CloudProviderContract
{
    private readonly ManualClock _clock = new(TimeProvider.System.GetUtcNow());
    private LocalArm _arm = null!;

    public override async Task InitializeAsync()
    {
        _arm = await LocalArm.StartAsync();
        _arm.Clock = _clock;
        _arm.BootTime = TimeSpan.FromSeconds(5);
        _arm.ChecksTime = TimeSpan.FromSeconds(10);
        _arm.ShutdownTime = TimeSpan.FromSeconds(2);
    }

    public override async Task DisposeAsync() => await _arm.DisposeAsync();

    protected override string OtherInstanceType => "Standard_NC8as_T4_v3";

    protected override string UnknownMachineId => "prov-00000000000000000000000000000dead";

    protected override TimeSpan BootTime => _arm.BootTime;

    protected override TimeSpan ChecksTime => _arm.ChecksTime;

    protected override TimeSpan ShutdownTime => _arm.ShutdownTime;

    /// <summary>Every class a launch can meet (NotFound is met by describe and terminate, covered by their own rules).</summary>
    protected override IReadOnlyCollection<CloudErrorKind> InjectableLaunchErrors => Errors.Keys;

    protected override int? LaunchCallsReceived => _arm.CallsTo(LocalArm.PutVirtualMachine);

    private static readonly Dictionary<CloudErrorKind, Func<ArmErrorException>> Errors = new()
    {
        [CloudErrorKind.Throttled] = () => ArmErrorException.Throttled(3),
        [CloudErrorKind.Transient] = () => new ArmErrorException("InternalServerError", "Encountered internal server error.", 500),
        [CloudErrorKind.InsufficientCapacity] = () => ArmErrorException.SkuNotAvailable("Standard_NC4as_T4_v3", "eastus"),
        [CloudErrorKind.QuotaExceeded] = () => ArmErrorException.CoresQuota("standardNCASv3_T4Family"),
        [CloudErrorKind.InvalidRequest] = () => ArmErrorException.InvalidParameter("vmSize", "The value provided for the VM size is not valid."),
        [CloudErrorKind.Unauthorized] = () => new ArmErrorException("AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Compute/virtualMachines/write'.", 403),
    };

    protected override ICloudProvider Provider(string cluster = "contract", int pageSize = 1000)
    {
        var azure = Options.Create(AzureTestOptions.For(_arm, pageSize));
        var factory = new ArmClientFactory(azure, new FixedTokenCredential(), _arm.CreateTransport());
        return new AzureCloudProvider(factory, azure, Options.Create(new ProvisionerOptions { ClusterName = cluster }), _clock);
    }

    protected override LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "Standard_NC4as_T4_v3", "eastus", 128,
            new Dictionary<string, string> { ["team"] = "vision" }, _clock.GetUtcNow().AddHours(1));
    }

    protected override Task PassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    protected override Task<string> FailNextLaunchAsync(CloudErrorKind kind, LaunchSpec spec)
    {
        var error = Errors[kind]();
        _arm.FailNext(LocalArm.PutVirtualMachine, error);
        return Task.FromResult(error.Code);
    }

    protected override void StopFailing()
    {
        // Each injected error is used up by the one call it fails.
    }

    protected override async Task<(CloudMachine Machine, string Code)> LaunchOneTheCloudGivesUpOnAsync(ICloudProvider sut)
    {
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        _arm.FailAllocation(machine.CloudInstanceId, "AllocationFailed",
            "Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance");
        return (machine, "AllocationFailed");
    }

    protected override void StopSelling(string instanceType, string region) => _arm.Restrict(instanceType, region);

    protected override string StartSellingAnotherOfTheFamily()
    {
        _arm.AddSku("Standard_NC32as_T4_v3");
        return "Standard_NC32as_T4_v3";
    }

    protected override Task<string> ImpairAsync(string cloudInstanceId)
    {
        _arm.Impair(cloudInstanceId);
        return Task.FromResult("HealthState/unhealthy");
    }

    protected override Task<DateTimeOffset> StopOutsideAsync(string cloudInstanceId) => Task.FromResult(_arm.StopOutside(cloudInstanceId));
}
