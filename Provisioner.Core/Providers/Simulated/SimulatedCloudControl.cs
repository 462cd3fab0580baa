using Npgsql;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// Turns the simulated cloud's knobs while it runs, for every process using it (its state is in PostgreSQL): the
/// capacity of a type in a region, and what its API buckets let through and refused. For tests, benchmarks and demos.
/// </summary>
public sealed class SimulatedCloudControl(NpgsqlDataSource dataSource)
{
    /// <summary>Sets how many live machines of <paramref name="instanceType"/> fit in <paramref name="region"/>; null returns it to the settings.</summary>
    public async Task SetCapacityAsync(string instanceType, string region, int? machines, CancellationToken cancellationToken)
    {
        await using var command = machines is { } count
            ? dataSource.CreateCommand("""
                INSERT INTO simulated_cloud.capacity (instance_type, region, machines) VALUES ($1, $2, $3)
                ON CONFLICT (instance_type, region) DO UPDATE SET machines = excluded.machines
                """)
            : dataSource.CreateCommand("DELETE FROM simulated_cloud.capacity WHERE instance_type = $1 AND region = $2");
        command.Parameters.Add(new() { Value = instanceType });
        command.Parameters.Add(new() { Value = region });
        if (machines is { } value)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
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
}
