using Hangfire.Common;
using Npgsql;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// One outbox as <see cref="OutboxRelay"/> drains it: the channel its writers notify on commit, how its due rows are
/// claimed, and the job each row becomes. A new outbox is one of these and one line in <see cref="JobEngineServices"/>.
/// </summary>
internal interface IOutbox
{
    /// <summary>The notification channel writers of this outbox signal on commit.</summary>
    string Channel { get; }

    /// <summary>
    /// Claims due rows <c>FOR UPDATE SKIP LOCKED</c>, so two relays never hand off the same row at once. Parameters:
    /// <c>$1</c> presumed lost if due (or handed off) before it, <c>$2</c> the horizon, <c>$3</c> the batch size.
    /// </summary>
    string Claim { get; }

    /// <summary>
    /// When the relay must look next (null when no row needs it): the earliest row never handed off comes within the
    /// horizon (<c>$1</c>), or the earliest handed-off row's job would be presumed lost (<c>$2</c>, after its due or
    /// hand-off time), so the relay wakes exactly then and its fallback poll is only for lost notifications.
    /// </summary>
    string NextDue { get; }

    /// <summary>Records the hand-off. Parameters: the row's <see cref="Claimed.Key"/>, then the job id, then the time.</summary>
    string MarkHandedOff { get; }

    /// <summary>The job for the claimed row under <paramref name="row"/>.</summary>
    Claimed Read(NpgsqlDataReader row);
}

/// <summary>A claimed row: its job (on its queue), when it is due, and the values that name the row in <see cref="IOutbox.MarkHandedOff"/>.</summary>
internal sealed record Claimed(Job Job, DateTimeOffset DueAt, object[] Key);
