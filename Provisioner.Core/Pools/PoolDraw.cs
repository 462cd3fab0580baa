using Npgsql;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Pools;

/// <summary>A warm machine drawn for a create: which pool it came from, and the machine as the pool knew it.</summary>
public sealed record DrawnMachine(Guid MachineId, string Backend, string CloudInstanceId, string? PublicIp, string? PrivateIp);

/// <summary>The pool a create matched, and the machine it drew from it (null when none was free: it launches cold).</summary>
public sealed record PoolMatch(Guid PoolId, string PoolName, DrawnMachine? Machine);

/// <summary>
/// Inside the create's own transaction, before the instance row is written: finds a serving pool that keeps the
/// instance's exact offer and lets its tenant draw, takes one of its warm machines for the instance, and records the
/// request for the pool's hit rate and demand. The take is one conditional update (<c>state = 'WARM'</c>, the row locked,
/// locked rows skipped): two creates never take one machine, and since it commits or rolls back with the instance a
/// machine is on the instance or still in its pool, never both, never neither.
/// </summary>
internal static class PoolDraw
{
    private const string Sql = """
        WITH candidates AS (
            SELECT id, created_at FROM provisioner.pools
             WHERE status = 'ACTIVE' AND provider = $3 AND instance_type = $4 AND region = $5 AND disk_size_gb >= $6
               AND (cardinality(tenants) = 0 OR $7 = ANY (tenants))
        ), drawn AS (
            UPDATE provisioner.pool_machines m SET state = 'DRAWN', instance_id = $1, drawn_at = $2
             WHERE m.id = (SELECT pm.id FROM provisioner.pool_machines pm JOIN candidates c ON c.id = pm.pool_id
                            WHERE pm.state = 'WARM' AND pm.backend = $8 AND pm.deadline >= $9
                            ORDER BY c.created_at, pm.ready_at LIMIT 1 FOR UPDATE OF pm SKIP LOCKED)
               AND m.state = 'WARM'
            RETURNING m.id, m.pool_id, m.backend, m.cloud_instance_id, m.public_ip, m.private_ip
        ), counted AS (
            INSERT INTO provisioner.pool_requests (pool_id, instance_id, served, at)
            SELECT coalesce((SELECT pool_id FROM drawn), (SELECT id FROM candidates ORDER BY created_at LIMIT 1)), $1, EXISTS (SELECT 1 FROM drawn), $2
             WHERE EXISTS (SELECT 1 FROM candidates)
            RETURNING pool_id
        )
        SELECT c.pool_id, p.name, d.id, d.backend, d.cloud_instance_id, d.public_ip, d.private_ip
          FROM counted c JOIN provisioner.pools p ON p.id = c.pool_id LEFT JOIN drawn d ON true
        """;

    /// <summary>
    /// Whether a pool could serve the request at all: pools keep plain on-demand machines of one GPU count, already
    /// booted, so a spot request, a boot script or a cloud template (which must run at boot) always launches cold.
    /// </summary>
    public static bool CouldServe(Instance instance) =>
        instance.SpotMaxPrice is null && instance.UserData is null && instance.Template is null && instance.GpuCount == 1;

    /// <summary>The draw, for the create's first batch (<see cref="Lifecycle.CreateChecks"/>); its answer is read by <see cref="ReadAsync"/>.</summary>
    /// <param name="backend">The adapter that would launch the instance cold: only its machines may be drawn.</param>
    public static NpgsqlBatchCommand Command(Instance instance, string backend, DateTimeOffset now) => new(Sql)
    {
        Parameters =
        {
            new() { Value = instance.Id },
            new() { Value = now },
            new() { Value = instance.Provider.ToString().ToUpperInvariant() },
            new() { Value = instance.InstanceType },
            new() { Value = instance.Region },
            new() { Value = instance.DiskSizeGB },
            new() { Value = instance.Owner },
            new() { Value = backend },
            new() { Value = instance.AutoTerminateAt },
        },
    };

    /// <returns>The pool the request matched, with the machine drawn (if any); null when no pool keeps its offer for its tenant.</returns>
    public static async Task<PoolMatch?> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var machine = reader.IsDBNull(2)
            ? null
            : new DrawnMachine(reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        return new PoolMatch(reader.GetGuid(0), reader.GetString(1), machine);
    }
}
