using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Provisioner.Api.Security;

/// <summary>One partition's bucket: its key, the tokens added each second, and how many it holds at most.</summary>
internal readonly record struct TokenBucket(string Key, int PerSecond, int Burst);

/// <summary>
/// A token bucket per partition, as <c>PartitionedRateLimiter.Create</c> with token-bucket partitions gives (tokens added
/// per whole second since the bucket began, up to its burst; no queue; a refusal says when to retry), but with no
/// timer: a bucket is refilled for the seconds that passed when it is next asked. The framework's partitioned limiter
/// wakes every 100 ms for as long as it lives, to refill its buckets and drop idle ones; measured, two of them (the
/// request limit and the key-lookup limit) cost this otherwise idle API 0.7% of a core, as much as all its other work.
/// </summary>
/// <remarks>
/// A full bucket is the same as a new one, so full buckets are dropped (at most every <see cref="SweepEvery"/>, by
/// the request that meets a new partition): the map holds only callers that spent tokens recently.
/// </remarks>
internal sealed class TokenBuckets<TResource>(Func<TResource, TokenBucket> partitioner, TimeProvider clock) : PartitionedRateLimiter<TResource>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(10);
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _lastSweep = clock.GetUtcNow().UtcTicks;

    /// <summary>How many partitions hold a bucket that is not full.</summary>
    internal int Count => _buckets.Count;

    public override RateLimiterStatistics? GetStatistics(TResource resource)
    {
        var partition = partitioner(resource);
        var now = clock.GetUtcNow().UtcTicks;
        var available = _buckets.TryGetValue(partition.Key, out var bucket) ? bucket.Available(now) : partition.Burst;
        return new RateLimiterStatistics { CurrentAvailablePermits = available };
    }

    protected override RateLimitLease AttemptAcquireCore(TResource resource, int permitCount)
    {
        var partition = partitioner(resource);
        if (permitCount > partition.Burst)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"more than the bucket's {partition.Burst} tokens");
        }

        var now = clock.GetUtcNow().UtcTicks;
        while (true)
        {
            var bucket = _buckets.GetOrAdd(partition.Key, static (_, state) => new Bucket(state.Partition, state.Now), (Partition: partition, Now: now));
            if (bucket.TryTake(permitCount, now, out var retryAfter) is { } taken)
            {
                if (bucket.Began == now)
                {
                    SweepIfDue(now);
                }

                return taken ? Granted : new Lease(false, retryAfter);
            }

            // Dropped by a sweep while we held it: take from its successor.
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(TResource resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    private void SweepIfDue(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (now - last < SweepEvery.Ticks || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.TryRetireIfFull(now))
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
            }
        }
    }

    private sealed class Bucket(TokenBucket partition, long now)
    {
        private readonly Lock _lock = new();
        private long _tokens = partition.Burst;
        private long _refilledAt = now;
        private bool _retired;

        public long Began { get; } = now;

        public long Available(long now)
        {
            lock (_lock)
            {
                Refill(now);
                return _tokens;
            }
        }

        /// <returns>Whether the tokens were taken; null when this bucket was retired and must not be used.</returns>
        public bool? TryTake(int count, long now, out TimeSpan retryAfter)
        {
            lock (_lock)
            {
                retryAfter = TimeSpan.Zero;
                if (_retired)
                {
                    return null;
                }

                Refill(now);
                if (count == 0 ? _tokens > 0 : _tokens >= count)
                {
                    _tokens -= count;
                    return true;
                }

                var periods = partition.PerSecond <= 0 ? 1 : (Math.Max(1, count) - _tokens + partition.PerSecond - 1) / partition.PerSecond;
                retryAfter = TimeSpan.FromTicks((periods * Period.Ticks) - (now - _refilledAt));
                return false;
            }
        }

        public bool TryRetireIfFull(long now)
        {
            lock (_lock)
            {
                Refill(now);
                _retired = _tokens >= partition.Burst;
                return _retired;
            }
        }

        private void Refill(long now)
        {
            var periods = (now - _refilledAt) / Period.Ticks;
            if (periods <= 0)
            {
                return;
            }

            _tokens = Math.Min(partition.Burst, _tokens + (Math.Min(periods, partition.Burst) * partition.PerSecond));
            _refilledAt += periods * Period.Ticks;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
