using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Contracts;

/// <summary>The port's contract against the simulated cloud, on its own database, with time on a manual clock.</summary>
public sealed class SimulatedCloudContractTests : CloudProviderContract
{
    private readonly ManualClock _clock = new();
    private readonly FixedOptionsMonitor<SimulatedCloudOptions> _options = new(new SimulatedCloudOptions
    {
        BootTime = TimeSpan.FromSeconds(5),
        ConfigureTime = TimeSpan.FromSeconds(10),
        ShutdownTime = TimeSpan.FromSeconds(2),
    });

    private TestDatabase _database = null!;

    public override async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("simcontract");

    public override async Task DisposeAsync() => await _database.DisposeAsync();

    protected override string OtherInstanceType => "sim.gpu.large";

    protected override string UnknownMachineId => "sim-ffffffffffff";

    protected override TimeSpan BootTime => _options.CurrentValue.BootTime;

    protected override TimeSpan ChecksTime => _options.CurrentValue.ConfigureTime;

    protected override TimeSpan ShutdownTime => _options.CurrentValue.ShutdownTime;

    protected override IReadOnlyCollection<CloudErrorKind> InjectableLaunchErrors =>
        [CloudErrorKind.Throttled, CloudErrorKind.Transient, CloudErrorKind.InsufficientCapacity];

    protected override int? LaunchCallsReceived => null;

    protected override ICloudProvider Provider(string cluster = "contract", int pageSize = 1000) =>
        new SimulatedCloudProvider(_database.DataSource, new PageSizeOf(_options, pageSize), Options.Create(new ProvisionerOptions { ClusterName = cluster }), _clock);

    protected override LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "sim.gpu.small", "sim-local-1", 50,
            new Dictionary<string, string> { ["team"] = "vision" }, _clock.GetUtcNow().AddHours(1));
    }

    protected override async Task<string> ImpairAsync(string cloudInstanceId)
    {
        await new SimulatedCloudControl(_database.DataSource).ImpairAsync(cloudInstanceId, _clock.GetUtcNow(), CancellationToken.None);
        return "instance status impaired";
    }

    protected override async Task<DateTimeOffset> StopOutsideAsync(string cloudInstanceId)
    {
        var at = _clock.GetUtcNow();
        await new SimulatedCloudControl(_database.DataSource).StopOutsideAsync(cloudInstanceId, at, CancellationToken.None);
        return at;
    }

    protected override Task PassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    protected override async Task<string> FailNextLaunchAsync(CloudErrorKind kind, LaunchSpec spec)
    {
        var settings = _options.CurrentValue;
        switch (kind)
        {
            case CloudErrorKind.Throttled:
                settings.ThrottleRate = 1;
                return "RequestLimitExceeded";
            case CloudErrorKind.Transient:
                settings.ErrorRate = 1;
                return "InternalError";
            case CloudErrorKind.InsufficientCapacity:
                settings.CapacityPerTypeAndRegion = 1;
                await Provider().LaunchAsync(Spec() with { InstanceType = spec.InstanceType, Region = spec.Region }, CancellationToken.None);
                return "InsufficientInstanceCapacity";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "the simulated cloud cannot raise it");
        }
    }

    protected override void StopFailing()
    {
        _options.CurrentValue.ThrottleRate = 0;
        _options.CurrentValue.ErrorRate = 0;
        _options.CurrentValue.CapacityPerTypeAndRegion = null;
    }

    protected override async Task<(CloudMachine Machine, string Code)> LaunchOneTheCloudGivesUpOnAsync(ICloudProvider sut)
    {
        _options.CurrentValue.LateFailureRate = 1;
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        _options.CurrentValue.LateFailureRate = 0;
        await PassAsync(BootTime);
        return (machine, "AllocationFailed");
    }

    /// <summary>The shared settings (so injected faults reach every provider), with this provider's own page size.</summary>
    private sealed class PageSizeOf(FixedOptionsMonitor<SimulatedCloudOptions> shared, int pageSize) : IOptionsMonitor<SimulatedCloudOptions>
    {
        public SimulatedCloudOptions CurrentValue
        {
            get
            {
                shared.CurrentValue.ListPageSize = pageSize;
                return shared.CurrentValue;
            }
        }

        public SimulatedCloudOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<SimulatedCloudOptions, string?> listener) => null;
    }

    protected override void StopSelling(string instanceType, string region) => _options.CurrentValue.Unsold.Add($"{instanceType}@{region}");

    protected override string StartSellingAnotherOfTheFamily()
    {
        _options.CurrentValue.AlsoSold.Add($"sim.gpu.huge@{Region}");
        return "sim.gpu.huge";
    }
}
