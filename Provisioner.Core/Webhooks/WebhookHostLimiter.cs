using Microsoft.Extensions.Options;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Bounds the deliveries one worker sends to one receiver host at once, so a receiver that hangs holds at most that
/// many delivery threads and the rest keep serving other receivers.
/// </summary>
/// <remarks>
/// A count per host, held only while deliveries to it are in flight. Not <c>PartitionedRateLimiter.Create</c> with
/// concurrency partitions: that limiter wakes every 100 ms for as long as the process lives to drop idle partitions,
/// a timer that costs an idle process more than all its other work (docs/benchmarks.md, "Idle, fourth round"). Here a
/// host's entry goes when its last lease is released, so there is nothing to sweep.
/// </remarks>
public sealed class WebhookHostLimiter(IOptions<WebhookOptions> options)
{
    private readonly int _permits = options.Value.MaxConcurrencyPerHost;
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>How many hosts have deliveries in flight.</summary>
    internal int Hosts
    {
        get
        {
            lock (_lock)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <returns>A lease to hold while sending, or null when the host already has its share in flight.</returns>
    public IDisposable? TryAcquire(string host)
    {
        lock (_lock)
        {
            _inFlight.TryGetValue(host, out var sending);
            if (sending >= _permits)
            {
                return null;
            }

            _inFlight[host] = sending + 1;
        }

        return new Lease(this, host);
    }

    private void Release(string host)
    {
        lock (_lock)
        {
            var sending = _inFlight[host] - 1;
            if (sending == 0)
            {
                _inFlight.Remove(host);
            }
            else
            {
                _inFlight[host] = sending;
            }
        }
    }

    private sealed class Lease(WebhookHostLimiter limiter, string host) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(host);
            }
        }
    }
}
