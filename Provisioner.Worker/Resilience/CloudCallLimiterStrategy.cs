using System.Threading.RateLimiting;
using Polly;
using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Holds calls to the configured concurrency and rate (System.Threading.RateLimiting limiters). The
/// Polly.RateLimiting package is not obtainable here; this is the small part of it we need. A call that
/// cannot get a permit is deferred with a retry-after, never failed. A call that could not get its permits at
/// once is reported to <paramref name="waited"/> with how long the limiters held it (the Providers page's
/// rate-limit waits).
/// </summary>
internal sealed class CloudCallLimiterStrategy(
    CloudCallKey key, RateLimiter concurrency, RateLimiter? rate, TimeProvider clock, Action<CloudCallKey, TimeSpan>? waited = null) : ResilienceStrategy
{
    private static readonly TimeSpan DeferWhenFull = TimeSpan.FromSeconds(1);

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        var (slot, slotWait) = await AcquireAsync(concurrency, context.CancellationToken);
        using (slot)
        {
            if (!slot.IsAcquired)
            {
                Report(slotWait);
                return Deferred<TResult>("LocalConcurrencyLimit", "too many calls are waiting for this provider", DeferWhenFull);
            }

            if (rate is not null)
            {
                var (token, tokenWait) = await AcquireAsync(rate, context.CancellationToken);
                using (token)
                {
                    Report(Sum(slotWait, tokenWait));
                    if (!token.IsAcquired)
                    {
                        token.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                        return Deferred<TResult>("LocalRateLimit", "the per-second call budget for this provider is spent", retryAfter > TimeSpan.Zero ? retryAfter : DeferWhenFull);
                    }

                    return await callback(context, state);
                }
            }

            Report(slotWait);
            return await callback(context, state);
        }
    }

    /// <summary>A permit, and how long the call queued for it: null when one was free at once.</summary>
    private async ValueTask<(RateLimitLease Lease, TimeSpan? Waited)> AcquireAsync(RateLimiter limiter, CancellationToken cancellationToken)
    {
        var lease = limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return (lease, null);
        }

        // A failed attempt holds nothing (it may carry a retry-after, which the queued acquire gives again).
        lease.Dispose();
        var started = clock.GetTimestamp();
        lease = await limiter.AcquireAsync(1, cancellationToken);
        return (lease, clock.GetElapsedTime(started));
    }

    private static TimeSpan? Sum(TimeSpan? first, TimeSpan? second) =>
        first is null && second is null ? null : (first ?? TimeSpan.Zero) + (second ?? TimeSpan.Zero);

    private void Report(TimeSpan? held)
    {
        if (held is { } wait)
        {
            waited?.Invoke(key, wait);
        }
    }

    private Outcome<TResult> Deferred<TResult>(string code, string message, TimeSpan retryAfter) =>
        Outcome.FromException<TResult>(new CloudProviderException(CloudErrorKind.Throttled, key.Backend, code, $"{message} ({key})", retryAfter));
}
