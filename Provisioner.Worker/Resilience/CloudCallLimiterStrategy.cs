using System.Threading.RateLimiting;
using Polly;
using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Holds calls to the configured concurrency and rate (System.Threading.RateLimiting limiters). The
/// Polly.RateLimiting package is not obtainable here; this is the small part of it we need. A call that
/// cannot get a permit is deferred with a retry-after, never failed.
/// </summary>
internal sealed class CloudCallLimiterStrategy(CloudCallKey key, RateLimiter concurrency, RateLimiter? rate) : ResilienceStrategy
{
    private static readonly TimeSpan DeferWhenFull = TimeSpan.FromSeconds(1);

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        using var slot = await concurrency.AcquireAsync(1, context.CancellationToken);
        if (!slot.IsAcquired)
        {
            return Deferred<TResult>("LocalConcurrencyLimit", "too many calls are waiting for this provider", DeferWhenFull);
        }

        if (rate is not null)
        {
            using var token = await rate.AcquireAsync(1, context.CancellationToken);
            if (!token.IsAcquired)
            {
                token.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
                return Deferred<TResult>("LocalRateLimit", "the per-second call budget for this provider is spent", retryAfter > TimeSpan.Zero ? retryAfter : DeferWhenFull);
            }

            return await callback(context, state);
        }

        return await callback(context, state);
    }

    private Outcome<TResult> Deferred<TResult>(string code, string message, TimeSpan retryAfter) =>
        Outcome.FromException<TResult>(new CloudProviderException(CloudErrorKind.Throttled, key.Backend, code, $"{message} ({key})", retryAfter));
}
