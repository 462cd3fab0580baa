using Polly;
using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Draws each call (each retry too: the cloud counts every request) from its shared account budget before it goes out.
/// A token that refills within <see cref="CloudResilienceOptions.MaxInPlaceDelay"/> is waited for in place; beyond that
/// the call is deferred with the time the token will be there, and its job re-runs then, holding no worker thread.
/// A throttle answered by the cloud itself leaves the bucket no token now, so every worker slows down at once; the
/// retry of the refused call draws again, one token behind the cloud's bucket from then on.
/// </summary>
internal sealed class CloudApiBudgetStrategy(CloudCallKey key, CloudApiBudgets budgets, TimeSpan maxWait, TimeProvider clock) : ResilienceStrategy
{
    /// <summary>The port operation of the call, set by <see cref="ResilientCloudProvider"/>.</summary>
    public static readonly ResiliencePropertyKey<string> Operation = new("provisioner.cloud-operation");

    /// <summary>Our own refusals: a throttle with one of these codes was never the cloud's answer.</summary>
    private static readonly HashSet<string> LocalCodes = ["ApiBudget", "LocalRateLimit", "LocalConcurrencyLimit", "CircuitOpen"];

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        if (!context.Properties.TryGetValue(Operation, out var operation) || budgets.For(key.Backend, key.Region, operation) is not { } budget)
        {
            return await callback(context, state);
        }

        var answer = await budgets.TakeAsync(budget, maxWait, context.CancellationToken);
        if (!answer.Taken)
        {
            return Outcome.FromException<TResult>(new CloudProviderException(CloudErrorKind.Throttled, key.Backend, "ApiBudget",
                $"the shared {budget.Action} budget of {budget.Account} in {budget.Region} ({budget.Limit}) is spent ({key})", answer.Wait));
        }

        if (answer.Wait > TimeSpan.Zero)
        {
            await Task.Delay(answer.Wait, clock, context.CancellationToken);
        }

        var outcome = await callback(context, state);
        if (outcome.Exception is CloudProviderException { Kind: CloudErrorKind.Throttled } throttled && !LocalCodes.Contains(throttled.CloudCode))
        {
            await budgets.CloudRefusedAsync(budget, context.CancellationToken);
        }

        return outcome;
    }
}
