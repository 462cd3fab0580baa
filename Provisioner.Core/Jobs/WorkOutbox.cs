namespace Provisioner.Core.Jobs;

/// <summary>Names the work outbox shares between whoever writes it and the relay that drains it.</summary>
public static class WorkOutbox
{
    /// <summary>
    /// PostgreSQL notification channel. Writers notify inside their transaction, and PostgreSQL delivers a
    /// notification only on commit: the relay wakes exactly when new work becomes visible, never before.
    /// </summary>
    public const string Channel = "provisioner_work";

    public const string Table = "provisioner.pending_work";
}
