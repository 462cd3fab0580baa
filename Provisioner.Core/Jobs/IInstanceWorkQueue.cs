using System.Data.Common;
using Provisioner.Core.Instances;

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

    /// <summary>
    /// Withdraws pending work of these kinds inside <paramref name="transaction"/> (committed by the
    /// <see cref="ScheduleAndCommitAsync"/> that follows): a finished instance needs no deadline or idle check, and
    /// a job already made for such an item finds it gone and does nothing.
    /// </summary>
    Task WithdrawAsync(DbTransaction transaction, Guid instanceId, IReadOnlyCollection<InstanceWorkKind> kinds, CancellationToken cancellationToken);
}
