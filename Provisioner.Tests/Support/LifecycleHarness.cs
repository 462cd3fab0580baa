using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Core.Reconciliation;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Fakes;

namespace Provisioner.Tests.Support;

/// <summary>
/// The lifecycle steps in this process, wired as in a worker, on a real migrated database, with no job engine
/// running: a test runs each step itself, at the moment it chooses, on a manual clock. Work the steps schedule
/// is real rows of the work outbox a test can look at.
/// </summary>
public sealed class LifecycleHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LifecycleHarness(TestDatabase database, ServiceProvider services, ManualClock clock, ScriptedCloudProvider cloud)
    {
        Database = database;
        _services = services;
        Clock = clock;
        Cloud = cloud;
    }

    /// <summary>The tenant the harness's instances belong to.</summary>
    public const string Tenant = "tenant-a";

    public TestDatabase Database { get; }
    public ManualClock Clock { get; }
    public ScriptedCloudProvider Cloud { get; }

    public static async Task<LifecycleHarness> CreateAsync(string purpose, Action<LifecycleOptions>? lifecycle = null, Action<WebhookOptions>? webhooks = null)
    {
        var database = await TestDatabase.CreateMigratedAsync(purpose);
        // Starts at the real time, so outbox rows the steps write look like real ones.
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Provisioner"] = database.ConnectionString,
            ["Provisioner:ClusterName"] = "harness",
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddProvisionerCore(configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.Configure<SimulatedCloudOptions>(o =>
        {
            o.BootTime = TimeSpan.FromSeconds(5);
            o.ConfigureTime = TimeSpan.FromSeconds(10);
            o.ShutdownTime = TimeSpan.FromSeconds(2);
        });
        services.Configure<LifecycleOptions>(o => lifecycle?.Invoke(o));
        services.Configure<WebhookOptions>(o => webhooks?.Invoke(o));
        services.AddWebhookDelivery();
        services.AddSingleton(sp => new ScriptedCloudProvider(sp.GetRequiredService<SimulatedCloudProvider>()));
        services.AddSingleton<ICloudProviderResolver>(sp => new CloudProviderResolver([], sp.GetRequiredService<ScriptedCloudProvider>()));

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new LifecycleHarness(database, provider, clock, provider.GetRequiredService<ScriptedCloudProvider>());
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public InstanceCommands Commands => Get<InstanceCommands>();
    public LifecycleOptions Options => Get<IOptions<LifecycleOptions>>().Value;

    public async Task<Instance> CreateAsync(int? idleMinutes = null, int autoTerminateMinutes = 60)
    {
        var spec = new InstanceSpec("user-1", "task-1", "test", CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50,
            autoTerminateMinutes, new Dictionary<string, string> { ["team"] = "vision" }, idleMinutes);
        return (await Commands.CreateAsync(LifecycleHarness.Tenant, spec, null, CancellationToken.None)).Instance;
    }

    public async Task<Instance> ReloadAsync(Guid id) => (await Get<InstanceUpdater>().ReadAsync(id, CancellationToken.None))!;

    public async Task<IReadOnlyList<InstanceEvent>> EventsAsync(Guid id)
    {
        await using var db = Database.CreateDbContext();
        return [.. db.InstanceEvents.Where(e => e.InstanceId == id).OrderBy(e => e.Id)];
    }

    /// <summary>Whether work of this kind is pending (or running) for the instance.</summary>
    public Task<bool> IsScheduledAsync(InstanceWorkKind kind, Guid id) => Database.ScalarAsync<bool>(
        "SELECT EXISTS (SELECT 1 FROM provisioner.pending_work WHERE instance_id = $1 AND kind = $2)", id, kind.ToString());

    public Task<DateTimeOffset?> ScheduledAtAsync(InstanceWorkKind kind, Guid id) => Database.ScalarAsync<DateTimeOffset?>(
        "SELECT run_at FROM provisioner.pending_work WHERE instance_id = $1 AND kind = $2", id, kind.ToString());

    /// <summary>Loses the pending item, as a crash or an operator deleting its job would.</summary>
    public Task UnscheduleAsync(InstanceWorkKind kind, Guid id) => Database.ExecuteAsync(
        "DELETE FROM provisioner.pending_work WHERE instance_id = $1 AND kind = $2", id, kind.ToString());

    /// <summary>Delivers the pending item of this kind to the runner, as the job engine would.</summary>
    public async Task<WorkRunResult> RunPendingAsync(InstanceWorkKind kind, Guid id)
    {
        var ticket = await Database.ScalarAsync<Guid?>("SELECT ticket FROM provisioner.pending_work WHERE instance_id = $1 AND kind = $2", id, kind.ToString())
            ?? throw new InvalidOperationException($"No {kind} is pending for instance {id}.");
        return await Get<InstanceWorkRunner>().RunAsync(kind, id, ticket, CancellationToken.None);
    }

    /// <summary>Machines the simulated cloud holds that carry this instance's tag and were not told to stop.</summary>
    public Task<long> LiveMachinesForAsync(Guid id) => Database.ScalarAsync<long>(
        "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1 AND terminate_requested_at IS NULL", id.ToString());

    public Task<long> MachinesForAsync(Guid id) => Database.ScalarAsync<long>(
        "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1", id.ToString());

    public Task<StepOutcome> LaunchAsync(Guid id, bool finalAttempt = false) => Get<LaunchInstance>().RunAsync(id, Attempt(finalAttempt), CancellationToken.None);

    public Task<StepOutcome> AwaitReadyAsync(Guid id, bool finalAttempt = false) => Get<AwaitInstanceReady>().RunAsync(id, Attempt(finalAttempt), CancellationToken.None);

    public Task<StepOutcome> TerminateAsync(Guid id, InstanceWorkKind kind = InstanceWorkKind.Terminate, bool finalAttempt = false) =>
        Get<TerminateInstance>().RunAsync(id, kind, Attempt(finalAttempt), CancellationToken.None);

    /// <summary>The first attempt of a step, or its last (after which a retryable failure is not retried).</summary>
    public WorkAttempt Attempt(bool last)
    {
        var allowed = Options.CloudRetryAttempts + 1;
        return last ? new WorkAttempt(allowed, allowed) : WorkAttempt.First(allowed);
    }

    public Task<SweepReport> SweepAsync() => Get<LifecycleSweeper>().SweepAsync(CancellationToken.None);

    public Task<ReconciliationRun> ReconcileAsync() => Get<CloudReconciler>().ReconcileAsync(Cloud, CancellationToken.None);

    /// <summary>Runs the launch and the looks, moving the clock, until the instance is Ready.</summary>
    public async Task<Instance> BringUpAsync(Guid id)
    {
        await LaunchAsync(id);
        Clock.Advance(TimeSpan.FromSeconds(16));
        await AwaitReadyAsync(id);
        var instance = await ReloadAsync(id);
        instance.Status.Should().Be(InstanceStatus.Ready);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
