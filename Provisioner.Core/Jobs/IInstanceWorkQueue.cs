using System.Data.Common;

namespace Provisioner.Core.Jobs;

/// <summary>The port through which the API and the steps hand work to the workers.</summary>
public interface IInstanceWorkQueue
{
    /// <summary>
    /// Records <paramref name="work"/> inside <paramref name="transaction"/> and commits it, so the records and
    /// their follow-up work are stored together or not at all. At most one item is pending per instance and
    /// kind: scheduling again replaces the time (and the ticket) of the one already there.
    /// </summary>
    Task ScheduleAndCommitAsync(DbTransaction transaction, IReadOnlyCollection<InstanceWork> work, CancellationToken cancellationToken);

    /// <summary>Whether work of this kind is pending (or running) for the instance.</summary>
    Task<bool> IsScheduledAsync(InstanceWorkKind kind, Guid instanceId, CancellationToken cancellationToken);
}
