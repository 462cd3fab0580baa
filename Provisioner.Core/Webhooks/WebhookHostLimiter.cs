using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Bounds the deliveries one worker sends to one receiver host at once, so a receiver that hangs holds at most that
/// many delivery threads and the rest keep serving other receivers.
/// </summary>
public sealed class WebhookHostLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public WebhookHostLimiter(IOptions<WebhookOptions> options)
    {
        var permits = options.Value.MaxConcurrencyPerHost;
        _limiter = PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetConcurrencyLimiter(host, _ =>
            new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 }));
    }

    /// <returns>A lease to hold while sending, or null when the host already has its share in flight.</returns>
    public RateLimitLease? TryAcquire(string host)
    {
        var lease = _limiter.AttemptAcquire(host);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
