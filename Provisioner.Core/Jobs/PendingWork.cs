using Provisioner.Core.Instances;

namespace Provisioner.Core.Jobs;

/// <summary>
/// One row of the work outbox: a step that is due for an instance. It commits with the record that caused it;
/// a relay in the workers hands it to the job engine after the commit. Its ticket names this one scheduling,
/// so a job for a replaced or finished item recognises itself as stale and does nothing.
/// </summary>
public sealed class PendingWork
{
    public Guid InstanceId { get; init; }
    public InstanceWorkKind Kind { get; init; }

    /// <summary>When the step is due. A job started before it waits (engines round due times).</summary>
    public DateTimeOffset RunAt { get; set; }

    /// <summary>Changes every time the item is scheduled again; the job carries the one it was made for.</summary>
    public Guid Ticket { get; set; }

    /// <summary>Retries of a retryable cloud failure so far (0 on first scheduling).</summary>
    public int Attempt { get; set; }

    /// <summary>The job engine's id for the job running this ticket; null until the relay hands it off.</summary>
    public string? JobId { get; set; }

    /// <summary>When the relay last handed it off; with <see cref="RunAt"/>, how a lost job is noticed.</summary>
    public DateTimeOffset? HandedOffAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// The W3C <c>traceparent</c> of whatever scheduled this work (the POST, or the step before), so its job
    /// continues that trace; null when nothing was being traced.
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary>The client's <c>X-Correlation-Id</c> of the request this work follows from, carried into its job's logs.</summary>
    public string? CorrelationId { get; set; }
}
