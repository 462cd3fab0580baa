using System.Diagnostics;
using Microsoft.Extensions.Options;
using Provisioner.Core.ApiBudgets;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;
using Provisioner.Worker.Resilience;

namespace Provisioner.Tests.Integration.Resilience;

/// <summary>
/// Cloud API budgets kept in PostgreSQL: a burst is spread at the bucket's refill rate, a call that would wait too long
/// is deferred, and two workers (each with its own pipelines, as two processes have) share one account's budget, so a
/// cloud enforcing the same bucket never throttles them.
/// </summary>
public sealed class CloudApiBudgetTests : IAsyncLifetime
{
    private static readonly ApiLimit RunInstances = ApiLimit.Of(5, 2);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("api-budgets");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private Task<ApiBucketAnswer> TakeAsync(DateTimeOffset at, TimeSpan maxWait, TimeSpan refillLag = default) =>
        SharedTokenBucket.TakeAsync(_database.DataSource, CloudApiBucket.Table, "AWS", "us-east-1", "RunInstances", RunInstances, new ManualClock(at),
            maxWait, refillLag, CancellationToken.None);

    [Fact]
    public async Task Take_ABurstBeyondTheBucket_QueuesCallsAtTheRefillRate_AndDefersThoseBeyondTheWait()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var waits = new List<TimeSpan>();
        for (var call = 0; call < 7; call++)
        {
            var answer = await TakeAsync(start, TimeSpan.FromSeconds(1));
            answer.Taken.Should().BeTrue($"call {call + 1} fits in the burst or a token refilled within 1 s");
            waits.Add(answer.Wait);
        }

        var refused = await TakeAsync(start, TimeSpan.FromSeconds(1));
        var later = await TakeAsync(start + TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        waits.Select(w => w.TotalSeconds).Should().Equal(0, 0, 0, 0, 0, 0.5, 1.0);
        (refused.Taken, refused.Wait).Should().Be((false, TimeSpan.FromSeconds(1.5)), "two calls already hold the next tokens");
        (later.Taken, later.Wait).Should().Be((true, TimeSpan.FromSeconds(0.5)), "a second later two tokens refilled for the two holders");
        (await _database.ScalarAsync<long>("SELECT refused FROM provisioner.cloud_api_budgets WHERE account = 'AWS'")).Should().Be(1);
    }

    [Fact]
    public async Task Take_FromAFullBucket_StartsTheRefillTheLagLater_AndACloudRefusalKeepsTheQueuesPlaces()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var lag = TimeSpan.FromMilliseconds(250);
        for (var call = 0; call < 5; call++)
        {
            (await TakeAsync(start, TimeSpan.FromSeconds(5), lag)).Should().Be(new ApiBucketAnswer(true, TimeSpan.Zero));
        }

        var sixth = await TakeAsync(start + TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), lag);
        await SharedTokenBucket.CloudRefusedAsync(_database.DataSource, CloudApiBucket.Table, "AWS", "us-east-1", "RunInstances", RunInstances,
            new ManualClock(start + TimeSpan.FromMilliseconds(500)), CancellationToken.None);
        var seventh = await TakeAsync(start + TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), lag);

        sixth.Wait.Should().Be(TimeSpan.FromMilliseconds(650), "its token refills 0.5 s after the refill starts, 250 ms after the first call");
        seventh.Wait.Should().Be(TimeSpan.FromMilliseconds(750),
            "the refusal kept the refill earned while the sixth holds its token: the next is there at 1.25 s, as without it (emptying lost it: 1.5 s)");
    }

    [Fact]
    public async Task TwoWorkers_ShareTheAccountsRunInstancesBudget_SoTheCloudNeverThrottles()
    {
        var cloud = SimulatedCloud();
        var (first, second) = (Worker(cloud), Worker(cloud));
        var elapsed = Stopwatch.StartNew();

        var launches = Enumerable.Range(0, 11).Select(i => (i % 2 == 0 ? first : second).LaunchAsync(Spec(), CancellationToken.None));
        var machines = await Task.WhenAll(launches);

        machines.Should().HaveCount(11);
        var (taken, throttled) = await new SimulatedCloudControl(_database.DataSource).ApiCallsAsync("RunInstances", CancellationToken.None);
        (taken, throttled).Should().Be((11L, 0L), "both workers drew on one budget, as strict as the cloud's bucket");
        elapsed.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5), "6 calls beyond the burst of 5 refill at 2/s: 3 s");
    }

    [Fact]
    public async Task TwoWorkers_WithoutTheSharedBudget_AreThrottledByTheCloud()
    {
        var cloud = SimulatedCloud();
        var (first, second) = (Worker(cloud, budgets: false), Worker(cloud, budgets: false));

        var launches = Enumerable.Range(0, 11).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? first : second).LaunchAsync(Spec(), CancellationToken.None);
            }
            catch (CloudProviderException error) when (error.Kind == CloudErrorKind.Throttled)
            {
                // Counted by the cloud below.
            }
        });
        await Task.WhenAll(launches);

        (await new SimulatedCloudControl(_database.DataSource).ApiCallsAsync("RunInstances", CancellationToken.None)).Refused.Should().BePositive(
            "this is what the shared budget prevents");
    }

    private SimulatedCloudProvider SimulatedCloud()
    {
        var options = new SimulatedCloudOptions();
        options.ApiLimits["RunInstances"] = RunInstances;
        return new SimulatedCloudProvider(_database.DataSource, new FixedOptionsMonitor<SimulatedCloudOptions>(options),
            Options.Create(new ProvisionerOptions { ClusterName = "budgets" }), TimeProvider.System);
    }

    /// <summary>One worker's resilience layer: pipelines (and their in-memory limiters) of its own, the database shared.</summary>
    private ICloudProvider Worker(SimulatedCloudProvider cloud, bool budgets = true)
    {
        var resilience = new CloudResilienceOptions { MaxInPlaceDelay = TimeSpan.FromSeconds(10), RetryBaseDelay = TimeSpan.FromMilliseconds(20) };
        var budgetOptions = new CloudApiBudgetOptions();
        budgetOptions.Providers["SIMULATED"] = new CloudApiBudget();
        budgetOptions.Providers["SIMULATED"].Actions["RunInstances"] = RunInstances;
        var shared = budgets
            ? new CloudApiBudgets(_database.DataSource, new FixedOptionsMonitor<CloudApiBudgetOptions>(budgetOptions), TimeProvider.System)
            : null;
        return new ResilientCloudProvider(cloud, new CloudResiliencePipelines(_ => resilience, null, TimeProvider.System, budgets: shared));
    }

    private static LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "sim.gpu.small", "sim-local-1", 50, new Dictionary<string, string>(),
            TimeProvider.System.GetUtcNow().AddHours(1));
    }
}
