using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>The key of one counted row: the minute, provider, region and outcome class.</summary>
internal readonly record struct ProviderCallBucket(DateTimeOffset Minute, string Provider, string Region, string Outcome);

/// <summary>What was counted under one <see cref="ProviderCallBucket"/> since the last flush.</summary>
internal sealed record ProviderCallCount(ProviderCallBucket Bucket, long Calls, long RateLimitWaits, long RateLimitWaitMs);

/// <summary>
/// This worker's cloud calls and rate-limit waits since the last flush, per minute, provider, region and outcome
/// class. A lock, not lock-free counters: a cloud call takes milliseconds at least, so contention is nil, and a
/// drain must not lose an increment racing it.
/// </summary>
internal sealed class ProviderCallCounts(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private Dictionary<ProviderCallBucket, (long Calls, long Waits, long WaitMs)> _counts = [];

    /// <summary>A cloud call finished: <paramref name="error"/> null for <c>ok</c>, else counted by its class.</summary>
    public void CallCompleted(string provider, string region, Exception? error) =>
        Add(provider, region, OutcomeOf(error), calls: 1, waits: 0, waitMs: 0);

    /// <summary>The limiter held a call back for <paramref name="waited"/> before letting it through (or deferring it).</summary>
    public void RateLimitWaited(string provider, string region, TimeSpan waited) =>
        Add(provider, region, ProviderCallStat.LimiterWait, calls: 0, waits: 1, waitMs: (long)Math.Round(waited.TotalMilliseconds));

    /// <summary>Everything counted so far, leaving the counts empty.</summary>
    public IReadOnlyList<ProviderCallCount> Drain()
    {
        Dictionary<ProviderCallBucket, (long Calls, long Waits, long WaitMs)> drained;
        lock (_gate)
        {
            drained = _counts;
            _counts = [];
        }

        return [.. drained.Select(e => new ProviderCallCount(e.Key, e.Value.Calls, e.Value.Waits, e.Value.WaitMs))];
    }

    /// <summary>Puts back counts a flush could not write, so the next flush carries them.</summary>
    public void Restore(IEnumerable<ProviderCallCount> counts)
    {
        foreach (var count in counts)
        {
            Add(count.Bucket, count.Calls, count.RateLimitWaits, count.RateLimitWaitMs);
        }
    }

    /// <summary>The port's error class; anything else a call can throw is named by what it is.</summary>
    public static string OutcomeOf(Exception? error) => error switch
    {
        null => ProviderCallStat.Ok,
        CloudProviderException cloud => cloud.Kind.ToString(),
        OperationCanceledException => "Cancelled",
        _ => "Unexpected",
    };

    private void Add(string provider, string region, string outcome, long calls, long waits, long waitMs)
    {
        var now = clock.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        Add(new ProviderCallBucket(minute, provider, region, outcome), calls, waits, waitMs);
    }

    private void Add(ProviderCallBucket bucket, long calls, long waits, long waitMs)
    {
        lock (_gate)
        {
            var current = _counts.GetValueOrDefault(bucket);
            _counts[bucket] = (current.Calls + calls, current.Waits + waits, current.WaitMs + waitMs);
        }
    }
}
