using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Providers;
using Provisioner.Tests.Fakes;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;
using Provisioner.Worker.Resilience;

namespace Provisioner.Tests.Integration.Resilience;

/// <summary>
/// Calls through the resilience layer are counted by outcome class and rate-limit wait, and the counts reach
/// <c>provider_call_stats</c> in the real database: added to what is there, flushed on a timer and on stop,
/// and rows older than a day removed.
/// </summary>
public sealed class ProviderCallStatsTests : IAsyncLifetime
{
    private const string Node = "stats-node";
    private readonly ScriptedCloudProvider _cloud = new();
    private readonly ProviderCallCounts _counts = new(TimeProvider.System);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("callstats");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Calls_AreCountedByOutcomeAndRateLimitWait_AndAddedUpByEachFlush()
    {
        // Call 2 is refused for good; a budget of one call a second makes the others queue behind the first.
        _cloud.Answer = call => call == 2 ? ScriptedCloudProvider.Error(CloudErrorKind.InvalidRequest, "InvalidParameterValue") : null;
        await using var pipelines = new CloudResiliencePipelines(
            _ => new CloudResilienceOptions { CallsPerSecond = 1, MaxRetryAttempts = 0 }, null, TimeProvider.System, callCounts: _counts);
        var sut = new ResilientCloudProvider(_cloud, pipelines, callCounts: _counts);
        var flusher = Flusher(TimeSpan.FromMinutes(10));

        var calls = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Outcome(() => sut.LaunchAsync(Spec(), CancellationToken.None))));
        await flusher.FlushAsync(CancellationToken.None);

        calls.Should().BeEquivalentTo(["ok", "ok", "InvalidRequest"]);
        (await CallsAsync("ok")).Should().Be(2);
        (await CallsAsync("InvalidRequest")).Should().Be(1);
        (await WaitsAsync()).Should().Be(2, "two of the three calls waited for the per-second budget");
        (await _database.ScalarAsync<long>("SELECT sum(rate_limit_wait_ms)::bigint FROM provisioner.provider_call_stats")).Should().BeGreaterThan(500);

        await Outcome(() => sut.LaunchAsync(Spec(), CancellationToken.None));
        await flusher.FlushAsync(CancellationToken.None);

        (await CallsAsync("ok")).Should().Be(3, "a flush adds to the minute's row rather than replacing it");
        _counts.Drain().Should().BeEmpty("a flush leaves nothing behind");
    }

    [Fact]
    public async Task Flush_RemovesRowsOlderThanADay()
    {
        await _database.ExecuteAsync(
            "INSERT INTO provisioner.provider_call_stats VALUES (now() - interval '25 hours', 'PROGRAMMED', 'old-1', 'ok', $1, 5, 0, 0), (now() - interval '23 hours', 'PROGRAMMED', 'young-1', 'ok', $1, 5, 0, 0)",
            Node);

        await Flusher(TimeSpan.FromMinutes(10)).FlushAsync(CancellationToken.None);

        (await _database.ScalarAsync<string>("SELECT string_agg(region, ',') FROM provisioner.provider_call_stats")).Should().Be("young-1");
    }

    [Fact]
    public async Task Flusher_WritesOnItsInterval_AndOnceMoreWhenStopped()
    {
        var flusher = Flusher(TimeSpan.FromSeconds(1));
        await flusher.StartAsync(CancellationToken.None);

        _counts.CallCompleted("PROGRAMMED", "sim-local-1", null);
        (await EventuallyAsync(() => CallsAsync("ok"), calls => calls == 1)).Should().Be(1, "the timer flushes within its interval");

        _counts.CallCompleted("PROGRAMMED", "sim-local-1", ScriptedCloudProvider.Error(CloudErrorKind.Transient, "ServiceUnavailable"));
        _counts.RateLimitWaited("PROGRAMMED", "sim-local-1", TimeSpan.FromMilliseconds(250));
        await flusher.StopAsync(CancellationToken.None);

        (await CallsAsync("Transient")).Should().Be(1, "stopping flushes what was counted since the last tick");
        (await _database.ScalarAsync<long>("SELECT sum(rate_limit_wait_ms)::bigint FROM provisioner.provider_call_stats")).Should().Be(250);
    }

    private ProviderCallStatsFlusher Flusher(TimeSpan interval) => new(
        _counts,
        new ProviderCallStatsWriter(_database.CreateDbContextFactory(), Options.Create(new JobsOptions { NodeName = Node }), TimeProvider.System),
        Options.Create(new ProviderCallStatsOptions { StatsFlushInterval = interval }),
        TimeProvider.System,
        NullLogger<ProviderCallStatsFlusher>.Instance);

    private async Task<long> CallsAsync(string outcome) =>
        await _database.ScalarAsync<long?>(
            "SELECT sum(calls)::bigint FROM provisioner.provider_call_stats WHERE provider = 'PROGRAMMED' AND region = 'sim-local-1' AND outcome = $1 AND node = $2",
            outcome, Node) ?? 0;

    private async Task<long> WaitsAsync() =>
        await _database.ScalarAsync<long?>("SELECT sum(rate_limit_waits)::bigint FROM provisioner.provider_call_stats WHERE outcome = $1", ProviderCallStat.LimiterWait) ?? 0;

    /// <summary>Polls until <paramref name="done"/> holds or 60 s pass (a loaded machine flushes late; a passing run never waits that long), returning the last value read.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        var value = await read();
        while (!done(value) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    private static async Task<string> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return ProviderCallStat.Ok;
        }
        catch (Exception error)
        {
            return ProviderCallCounts.OutcomeOf(error);
        }
    }

    private static LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant", "sim.gpu.small", "sim-local-1", 50, new Dictionary<string, string>(),
            TimeProvider.System.GetUtcNow().AddHours(1));
    }
}
