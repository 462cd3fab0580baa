using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using Provisioner.Core.Providers;
using Provisioner.Core.Telemetry;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// One Polly pipeline per provider and region, outermost first: retry (short, honouring retry-after) →
/// circuit breaker → the account's shared API budget → this process's concurrency and rate limits → per-attempt timeout. Longer waits are not taken here:
/// they surface as a retry-after and the job is re-run later.
/// </summary>
internal sealed class CloudResiliencePipelines(
    Func<string, CloudResilienceOptions> optionsFor,
    CloudCircuitRecorder? circuits,
    TimeProvider clock,
    ProvisionerMetrics? metrics = null,
    ProviderCallCounts? callCounts = null,
    CloudApiBudgets? budgets = null) : IAsyncDisposable
{
    private readonly ResiliencePipelineRegistry<CloudCallKey> _registry = new();
    private readonly ConcurrentBag<RateLimiter> _limiters = [];

    public ResiliencePipeline For(CloudCallKey key) =>
        _registry.GetOrAddPipeline(key, builder => Build(builder, key, optionsFor(key.Backend)));

    public CloudResilienceOptions OptionsFor(string backend) => optionsFor(backend);

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        foreach (var limiter in _limiters)
        {
            await limiter.DisposeAsync();
        }
    }

    private void Build(ResiliencePipelineBuilder builder, CloudCallKey key, CloudResilienceOptions options)
    {
        builder.TimeProvider = clock;
        metrics?.CircuitChanged(key.Backend, key.Region, ProviderCircuit.Closed);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(ShouldRetryInPlace(args.Outcome.Exception, options)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = options.MaxInPlaceDelay,
                // The cloud's own retry-after beats our backoff.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is CloudProviderException { AskedToWait: { } wait } ? wait : (TimeSpan?)null),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            // Outages open the circuit; throttling does not (it is answered by waiting, and by our own limits).
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TimeoutRejectedException or CloudProviderException { Kind: CloudErrorKind.Transient }),
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            OnOpened = args => CircuitChanged(key, ProviderCircuit.Open, args.BreakDuration, args.Outcome.Exception),
            OnHalfOpened = _ => CircuitChanged(key, ProviderCircuit.HalfOpen, null, null),
            OnClosed = _ => CircuitChanged(key, ProviderCircuit.Closed, null, null),
        });

        if (budgets is not null)
        {
            builder.AddStrategy(_ => new CloudApiBudgetStrategy(key, budgets, options.MaxInPlaceDelay, clock), new CloudApiBudgetStrategyOptions());
        }

        var concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentCalls,
            QueueLimit = options.MaxQueuedCalls,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _limiters.Add(concurrency);
        RateLimiter? rate = null;
        if (options.CallsPerSecond is { } perSecond)
        {
            rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = options.MaxQueuedCalls,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            _limiters.Add(rate);
        }

        builder.AddStrategy(_ => new CloudCallLimiterStrategy(key, concurrency, rate, clock,
            callCounts is null ? null : (k, wait) => callCounts.RateLimitWaited(k.Backend, k.Region, wait)), new CloudCallLimiterOptions());
        builder.AddTimeout(options.AttemptTimeout);
    }

    private ValueTask CircuitChanged(CloudCallKey key, string state, TimeSpan? openFor, Exception? cause)
    {
        metrics?.CircuitChanged(key.Backend, key.Region, state);
        return circuits?.RecordAsync(key, state, openFor, cause) ?? default;
    }

    private static bool ShouldRetryInPlace(Exception? error, CloudResilienceOptions options) => error switch
    {
        TimeoutRejectedException => true,
        CloudProviderException { IsRetryable: true } cloud => cloud.AskedToWait is not { } wait || wait <= options.MaxInPlaceDelay,
        _ => false,
    };

    private sealed class CloudCallLimiterOptions : ResilienceStrategyOptions
    {
        public CloudCallLimiterOptions() => Name = "CloudCallLimiter";
    }

    private sealed class CloudApiBudgetStrategyOptions : ResilienceStrategyOptions
    {
        public CloudApiBudgetStrategyOptions() => Name = "CloudApiBudget";
    }
}
