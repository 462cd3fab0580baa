using Npgsql;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Refuses to start a worker whose connections would not fit under PostgreSQL's <c>max_connections</c>: with
/// long polling every job thread holds a connection, and running out shows up later as jobs that hang on
/// "too many clients" rather than as a clear error now.
/// </summary>
internal sealed class ConnectionBudget(NpgsqlDataSource dataSource, int jobStorePoolSize, int sessionPoolSize, int reserved, ILogger<ConnectionBudget> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ownPool = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;
        var need = ownPool + jobStorePoolSize + sessionPoolSize;
        await using var command = dataSource.CreateCommand("""
            SELECT current_setting('max_connections')::int,
                   current_setting('superuser_reserved_connections')::int,
                   (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend')
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (max, superuser, inUse) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
        var free = max - superuser - reserved - inUse;
        if (need > free)
        {
            throw new InvalidOperationException(
                $"This worker may open {need} PostgreSQL connections (Maximum Pool Size {ownPool} + job store {jobStorePoolSize} + sessions {sessionPoolSize}, " +
                $"which follow Jobs:WorkerCount, Jobs:MaintenanceWorkerCount and Jobs:WebhookWorkerCount), but only {free} are free: max_connections {max}, " +
                $"{superuser} reserved for superusers, Jobs:ReservedConnections {reserved}, {inUse} in use. " +
                "Lower Jobs:WorkerCount or the pool size, run fewer workers, or raise max_connections.");
        }

        logger.ConnectionBudgetFits(need, free);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
