using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Novita;
using Provisioner.Tests.Fakes.Novita;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Contracts;

/// <summary>
/// The port's contract against the NovitaAI adapter: its REST client over real HTTP to the strict local Novita, which
/// checks the API key and every create body. Novita has no client token and no tags, so the contract's idempotency and
/// ownership rules are met by the instance name alone. The local Novita's clock is a manual one.
/// </summary>
public sealed class NovitaContractTests : CloudProviderContract
{
    private readonly ManualClock _clock = new(TimeProvider.System.GetUtcNow());
    private readonly List<HttpClient> _clients = [];
    private LocalNovita _novita = null!;

    public override async Task InitializeAsync()
    {
        _novita = await LocalNovita.StartAsync();
        _novita.Clock = _clock;
        _novita.BootTime = TimeSpan.FromSeconds(5);
        _novita.ChecksTime = TimeSpan.FromSeconds(10);
        _novita.ShutdownTime = TimeSpan.FromSeconds(2);
    }

    public override async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _novita.DisposeAsync();
    }

    /// <summary>Novita only: the watch's batch read pages the instance list until it has every machine, never a GET per machine.</summary>
    [Fact]
    public async Task ReadStates_PagesTheInstanceListUntilEveryMachineIsFound_WithNoReadPerMachine()
    {
        var sut = Provider(pageSize: 2);
        var machines = new List<CloudMachine>();
        for (var i = 0; i < 3; i++)
        {
            machines.Add(await sut.LaunchAsync(Spec(), CancellationToken.None));
        }

        await PassAsync(BootTime + ChecksTime);
        var (gets, lists) = (_novita.CallsTo(LocalNovita.Get), _novita.CallsTo(LocalNovita.List));

        var states = await sut.ReadStatesAsync(Region, [.. machines.Select(m => m.CloudInstanceId)], CancellationToken.None);

        states.Select(s => s.CloudInstanceId).Should().BeEquivalentTo(machines.Select(m => m.CloudInstanceId));
        states.Should().OnlyContain(s => s.State == CloudMachineState.Running && s.Health == CloudMachineHealth.Ok);
        _novita.CallsTo(LocalNovita.Get).Should().Be(gets, "no instance is read by itself");
        (_novita.CallsTo(LocalNovita.List) - lists).Should().Be(2, "two pages of two hold the three");
    }

    protected override string OtherInstanceType => "RTX 3090 24GB";

    protected override string UnknownMachineId => "0000deadbeef0000";

    protected override TimeSpan BootTime => _novita.BootTime;

    protected override TimeSpan ChecksTime => _novita.ChecksTime;

    protected override TimeSpan ShutdownTime => _novita.ShutdownTime;

    /// <summary>Every class a launch can meet (NotFound is met by describe and terminate, covered by their own rules).</summary>
    protected override IReadOnlyCollection<CloudErrorKind> InjectableLaunchErrors => Errors.Keys;

    protected override int? LaunchCallsReceived => _novita.CallsTo(LocalNovita.Create);

    private static readonly Dictionary<CloudErrorKind, Func<NovitaErrorException>> Errors = new()
    {
        [CloudErrorKind.Throttled] = () => NovitaErrorException.Throttled(3),
        [CloudErrorKind.Transient] = () => new NovitaErrorException("UNKNOWN", "internal error", 500),
        [CloudErrorKind.InsufficientCapacity] = () => NovitaErrorException.NoStock("RTX 4090 24GB", "US-CA-06"),
        [CloudErrorKind.QuotaExceeded] = () => new NovitaErrorException("BALANCE_NOT_ENOUGH", "balance not enough"),
        [CloudErrorKind.InvalidRequest] = () => NovitaErrorException.Invalid("rootfsSize must be between 10 and 6144"),
        [CloudErrorKind.Unauthorized] = () => new NovitaErrorException("FORBIDDEN", "forbidden", 403),
    };

    protected override ICloudProvider Provider(string cluster = "contract", int pageSize = 1000)
    {
        var novita = Options.Create(NovitaTestOptions.For(_novita, pageSize));
        var http = new HttpClient();
        _clients.Add(http);
        var client = new NovitaClient(http, novita, _clock);
        return new NovitaCloudProvider(client, new NovitaProductCache(client, novita, _clock), novita,
            Options.Create(new ProvisionerOptions { ClusterName = cluster }), _clock);
    }

    protected override LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "RTX 4090 24GB", "US-CA-06", 60,
            new Dictionary<string, string>(), _clock.GetUtcNow().AddHours(1));
    }

    protected override Task PassAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    protected override Task<string> FailNextLaunchAsync(CloudErrorKind kind, LaunchSpec spec)
    {
        var error = Errors[kind]();
        _novita.FailNext(LocalNovita.Create, error);
        return Task.FromResult(error.Reason);
    }

    protected override void StopFailing()
    {
        // Each injected error is used up by the one call it fails.
    }

    protected override async Task<(CloudMachine Machine, string Code)> LaunchOneTheCloudGivesUpOnAsync(ICloudProvider sut)
    {
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        _novita.FailLater(machine.CloudInstanceId, "INSUFFICIENT_RESOURCE", "the node holding the instance ran out of GPUs");
        return (machine, "INSUFFICIENT_RESOURCE");
    }

    protected override void StopSelling(string instanceType, string region) =>
        _novita.ProductList = [.. _novita.ProductList.Select(p => p.Name == instanceType ? p with { Clusters = [.. p.Clusters.Where(c => c != region)] } : p)];

    protected override string StartSellingAnotherOfTheFamily()
    {
        _novita.ProductList = [.. _novita.ProductList, new LocalNovitaProduct("prod-4090-48", "RTX 4090 48GB", 0.49m, null, [Region])];
        return "RTX 4090 48GB";
    }

    protected override bool ListsItsRegions => true;

    protected override string ReplaceRegion(string region)
    {
        _novita.ClusterList = [.. _novita.ProductList.SelectMany(p => p.Clusters).Distinct().Where(c => c != region), "US-NY-03"];
        return "US-NY-03";
    }

    protected override Task<string> ImpairAsync(string cloudInstanceId)
    {
        _novita.Impair(cloudInstanceId, "HEALTH_CHECK_FAILED", "the GPU stopped answering");
        return Task.FromResult("statusError HEALTH_CHECK_FAILED: the GPU stopped answering");
    }

    protected override Task<DateTimeOffset> StopOutsideAsync(string cloudInstanceId) => Task.FromResult(_novita.StopOutside(cloudInstanceId));
}
