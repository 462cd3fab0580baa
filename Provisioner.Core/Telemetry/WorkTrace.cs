using System.Diagnostics;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;

namespace Provisioner.Core.Telemetry;

/// <summary>
/// Carries a trace across the outbox: whoever schedules work stores the current W3C <c>traceparent</c> (and
/// correlation id) on the row, and the job that runs it continues that trace. So a create's POST, its launch, every
/// readiness look and its deadline are one trace, however many processes and hours lie between them.
/// </summary>
public static class WorkTrace
{
    /// <summary>The W3C trace context to store with new work: the current activity's, if it has one.</summary>
    public static string? CurrentTraceParent =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// The span of one job, a child of the span that scheduled its work (a root when none was stored or it is
    /// malformed). Null when nothing records traces; the caller does not care.
    /// </summary>
    public static Activity? StartJob(InstanceWorkKind kind, Guid instanceId, string? traceParent, string? correlationId)
    {
        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var stored) ? stored : default;
        var activity = ProvisionerDiagnostics.Source.StartActivity($"{kind} job", ActivityKind.Consumer, parent);
        activity?.SetTag("provisioner.job.kind", kind.ToString());
        activity?.SetTag("provisioner.instance_id", instanceId);
        if (correlationId is not null)
        {
            activity?.SetTag("provisioner.correlation_id", correlationId);
        }

        return activity;
    }
}
