using System.Diagnostics;
using Provisioner.Core.Providers;
using Provisioner.Core.Telemetry;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// A span and the metrics of one cloud call as a job sees it: retries in place, waits for a slot and the circuit
/// included, so the latency is what the step waited. The result is <c>ok</c> or the port's error class.
/// </summary>
internal sealed class CloudCallTelemetry(ProvisionerMetrics metrics, TimeProvider clock)
{
    public async Task<T> TraceAsync<T>(string provider, string region, string operation, Func<Task<T>> call)
    {
        using var activity = ProvisionerDiagnostics.Source.StartActivity($"cloud {operation}", ActivityKind.Client);
        activity?.SetTag("cloud.provider", provider);
        activity?.SetTag("cloud.region", region);
        activity?.SetTag("provisioner.cloud.operation", operation);
        var started = clock.GetTimestamp();
        var result = "ok";
        try
        {
            return await call();
        }
        catch (Exception error)
        {
            result = error switch
            {
                CloudProviderException cloud => cloud.Kind.ToString(),
                OperationCanceledException => "Cancelled",
                _ => error.GetType().Name,
            };
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            activity?.SetTag("error.type", result);
            throw;
        }
        finally
        {
            metrics.CloudCall(provider, operation, result, clock.GetElapsedTime(started));
        }
    }
}
