using Npgsql;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// Turns the simulated cloud's knobs while it runs, for every process using it (its state is in PostgreSQL): the
/// capacity of a type in a region, what its API buckets let through and refused, and events from outside the provisioner
/// (a machine stopped in the console, a spot reclaim with notice, a machine gone without a trace, a machine failing its
/// health checks and recovering). For tests, benchmarks and
/// demos; from a shell the same is one SQL statement (docs/operations.md, <i>The simulated cloud's outside events</i>).
/// </summary>
public sealed class SimulatedCloudControl(NpgsqlDataSource dataSource)
{
    /// <summary>Sets how many live machines of <paramref name="instanceType"/> fit in <paramref name="region"/>; null returns it to the settings.</summary>
    public async Task SetCapacityAsync(string instanceType, string region, int? machines, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // After every launch that took the offer as unlimited has been written, so later counts include them.
        await using (var wait = new NpgsqlCommand(SimulatedCapacityLock.TakeExclusive, connection))
        {
            wait.Parameters.Add(new() { Value = instanceType });
            wait.Parameters.Add(new() { Value = region });
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = machines is { } count
            ? new NpgsqlCommand("""
                INSERT INTO simulated_cloud.capacity (instance_type, region, machines) VALUES ($1, $2, $3)
                ON CONFLICT (instance_type, region) DO UPDATE SET machines = excluded.machines
                """, connection)
            : new NpgsqlCommand("DELETE FROM simulated_cloud.capacity WHERE instance_type = $1 AND region = $2", connection);
        command.Parameters.Add(new() { Value = instanceType });
        command.Parameters.Add(new() { Value = region });
        if (machines is { } value)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Calls of <paramref name="action"/> its buckets let through and refused (<c>RequestLimitExceeded</c>), over every region.</summary>
    public async Task<(long Taken, long Refused)> ApiCallsAsync(string action, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT coalesce(sum(taken), 0)::bigint, coalesce(sum(refused), 0)::bigint FROM simulated_cloud.api_buckets WHERE action = $1");
        command.Parameters.Add(new() { Value = action });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The machine is stopped outside the provisioner (a console, another tool) at <paramref name="at"/>.</summary>
    public Task StopOutsideAsync(string cloudInstanceId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SetOutsideEventAsync(cloudInstanceId, SimulatedCloudProvider.Stopped, at, cancellationToken);

    /// <summary>The spot machine is reclaimed at <paramref name="at"/>: a time ahead is the notice the cloud gives.</summary>
    public Task PreemptAsync(string cloudInstanceId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SetOutsideEventAsync(cloudInstanceId, SimulatedCloudProvider.Preempted, at, cancellationToken);

    /// <summary>The machine disappears from <paramref name="at"/>: not listed, not described, as if terminated outside long ago.</summary>
    public Task HideAsync(string cloudInstanceId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SetOutsideEventAsync(cloudInstanceId, SimulatedCloudProvider.Hidden, at, cancellationToken);

    /// <summary>The machine fails its health checks from <paramref name="at"/> (still running and billed) until <see cref="RecoverAsync"/>.</summary>
    public Task ImpairAsync(string cloudInstanceId, DateTimeOffset at, CancellationToken cancellationToken) =>
        SetOutsideEventAsync(cloudInstanceId, SimulatedCloudProvider.Impaired, at, cancellationToken);

    /// <summary>Whatever outside event the machine had is over: an impaired machine passes its checks again.</summary>
    public Task RecoverAsync(string cloudInstanceId, CancellationToken cancellationToken) =>
        SetOutsideEventAsync(cloudInstanceId, null, null, cancellationToken);

    private async Task SetOutsideEventAsync(string cloudInstanceId, string? outsideEvent, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE simulated_cloud.machines SET outside_event = $2, outside_at = $3 WHERE id = $1");
        command.Parameters.Add(new() { Value = cloudInstanceId });
        command.Parameters.Add(new() { Value = (object?)outsideEvent ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = at is { } when ? when : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InvalidOperationException($"The simulated cloud holds no machine {cloudInstanceId}.");
        }
    }
}
