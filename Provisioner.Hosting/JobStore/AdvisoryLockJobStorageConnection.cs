using Hangfire.PostgreSql;

namespace Provisioner.Hosting.JobStore;

/// <summary>
/// The store's connection with <see cref="AcquireDistributedLock"/> taken by <see cref="SessionAdvisoryLocks"/>.
/// The store's other calls are its own; they run on pooled connections of their own, not on the lock's.
/// </summary>
/// <param name="schema">
/// Prefixes each resource as Hangfire.PostgreSql does, so a <see cref="Hangfire.Storage.DistributedLockTimeoutException"/>'s
/// resource ends with the name Hangfire's schedulers look for.
/// </param>
internal sealed class AdvisoryLockJobStorageConnection(PostgreSqlStorage storage, string schema, SessionAdvisoryLocks locks)
    : PostgreSqlConnection(storage)
{
    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        return locks.Acquire($"{schema}:{resource}", timeout);
    }

    public override void Dispose()
    {
        locks.Dispose();
        base.Dispose();
    }
}
