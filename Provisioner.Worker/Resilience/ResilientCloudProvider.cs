using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Sends every call of an adapter through its provider-and-region pipeline, and turns Polly's own refusals
/// into the port's error classes: an open circuit is a throttle with the time until it may close.
/// </summary>
internal sealed class ResilientCloudProvider(
    ICloudProvider inner, CloudResiliencePipelines pipelines, CloudCallTelemetry? telemetry = null, ProviderCallCounts? callCounts = null) : ICloudProvider
{
    /// <summary>The key of calls that span every region (listing for reconciliation).</summary>
    public const string AllRegions = "*";

    public string Name => inner.Name;

    public ProviderCapabilities Capabilities => inner.Capabilities;

    public Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken) =>
        RunAsync("launch", spec.Region, token => inner.LaunchAsync(spec, token), cancellationToken);

    public Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) =>
        RunAsync("describe", region, token => inner.DescribeAsync(region, cloudInstanceId, token), cancellationToken);

    public Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken) =>
        RunAsync("find", region, token => inner.FindByInstanceAsync(region, instanceId, token), cancellationToken);

    public Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) =>
        RunAsync("terminate", region, async token =>
        {
            await inner.TerminateAsync(region, cloudInstanceId, token);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken) =>
        RunAsync("describe", region, token => inner.ReadStatesAsync(region, cloudInstanceIds, token), cancellationToken);

    public Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken) =>
        RunAsync("list", AllRegions, token => inner.ListOwnedAsync(pageToken, token), cancellationToken);

    public Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken) =>
        RunAsync("list", AllRegions, token => inner.ListSoldAsync(regions, instanceTypes, token), cancellationToken);

    public Task<IReadOnlyList<string>?> ListRegionsAsync(CancellationToken cancellationToken) =>
        RunAsync("list", AllRegions, inner.ListRegionsAsync, cancellationToken);

    private Task<T> RunAsync<T>(string operation, string region, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        telemetry is null
            ? ProtectAsync(operation, region, call, cancellationToken)
            : telemetry.TraceAsync(Name, region, operation, () => ProtectAsync(operation, region, call, cancellationToken));

    /// <summary>Counts the call as the job sees it (after retries, with Polly's refusals already in the port's classes).</summary>
    private async Task<T> ProtectAsync<T>(string operation, string region, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProtectedCallAsync(operation, region, call, cancellationToken);
            callCounts?.CallCompleted(Name, region, null);
            return result;
        }
        catch (Exception error)
        {
            callCounts?.CallCompleted(Name, region, error);
            throw;
        }
    }

    private async Task<T> ProtectedCallAsync<T>(string operation, string region, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var key = new CloudCallKey(inner.Name, region);
        // The operation tells the budget strategy which of the cloud's limits the call draws on.
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CloudApiBudgetStrategy.Operation, operation);
        try
        {
            return await pipelines.For(key).ExecuteAsync(async ctx => await call(ctx.CancellationToken), context);
        }
        catch (BrokenCircuitException open)
        {
            throw new CloudProviderException(CloudErrorKind.Throttled, Name, "CircuitOpen",
                $"calls to {key} are paused after repeated failures", open.RetryAfter ?? pipelines.OptionsFor(Name).CircuitBreakDuration, open);
        }
        catch (TimeoutRejectedException timeout)
        {
            throw new CloudProviderException(CloudErrorKind.Transient, Name, "Timeout",
                $"no answer from {key} within {timeout.Timeout.TotalSeconds:0.#} s", inner: timeout);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
