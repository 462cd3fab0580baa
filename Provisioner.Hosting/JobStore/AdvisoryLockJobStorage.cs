using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Provisioner.Hosting.JobStore;

/// <summary>
/// Hangfire.PostgreSql's job store with its distributed locks (a job's state change, the recurring and delayed
/// schedulers' passes, the dashboard's requeue) taken as PostgreSQL session advisory locks instead of rows in
/// <c>hangfire.lock</c>. Everything else is the store's own.
/// </summary>
/// <remarks>
/// <para>
/// The store's row lock costs six statements on three to five round trips in several transactions (delete expired
/// rows, insert the row, delete it), twice per job, and a waiter polls for it once a second. An advisory lock is one
/// round trip to take and one to release, a waiter gets it the moment it is released, and PostgreSQL frees a killed
/// holder's lock the moment its connection drops, instead of when the row's <c>DistributedLockTimeout</c> runs out.
/// </para>
/// <para>
/// Every process that changes job states must lock the same way (the workers, and the API's dashboard, which
/// requeues and deletes jobs): the two kinds do not exclude each other. Hangfire.PostgreSql's expiration manager
/// still takes its own row lock directly, which excludes only other expiration managers.
/// </para>
/// </remarks>
public sealed class AdvisoryLockJobStorage : PostgreSqlStorage
{
    private readonly IConnectionFactory _connections;
    private readonly string _schema;
    private readonly TimeSpan _maxWait;
    private readonly ILogger _logger;

    /// <param name="options">
    /// The store's options. Its <see cref="PostgreSqlStorageOptions.DistributedLockTimeout"/> bounds how long a caller
    /// waits for a lock someone else holds (Hangfire asks for up to 15 minutes for a job's state change); then it gets
    /// Hangfire's <see cref="DistributedLockTimeoutException"/>.
    /// </param>
    public AdvisoryLockJobStorage(IConnectionFactory connections, PostgreSqlStorageOptions options, ILogger? logger = null)
        : base(connections, options)
    {
        _connections = connections;
        _schema = options.SchemaName;
        _maxWait = options.DistributedLockTimeout;
        _logger = logger ?? NullLogger.Instance;
    }

    public override IStorageConnection GetConnection() =>
        new AdvisoryLockJobStorageConnection(this, _schema, new SessionAdvisoryLocks(_connections, _maxWait, _logger));
}
