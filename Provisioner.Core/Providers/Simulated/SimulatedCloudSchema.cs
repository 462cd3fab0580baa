using Npgsql;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// The simulated cloud's own table. It is the cloud, not our records, so it is kept out of the EF model
/// and created by the migrate step alongside it.
/// </summary>
public static class SimulatedCloudSchema
{
    public const string Schema = "simulated_cloud";

    private const string Ddl = """
        CREATE SCHEMA IF NOT EXISTS simulated_cloud;
        CREATE TABLE IF NOT EXISTS simulated_cloud.machines (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text GENERATED ALWAYS AS ('sim-' || lpad(to_hex(seq), 12, '0')) STORED UNIQUE,
            client_token text NOT NULL UNIQUE,
            instance_type text NOT NULL,
            region text NOT NULL,
            disk_gb integer NOT NULL,
            tags jsonb NOT NULL,
            launched_at timestamptz NOT NULL,
            deadline timestamptz NOT NULL,
            terminate_requested_at timestamptz NULL
        );
        CREATE INDEX IF NOT EXISTS machines_live_by_type
            ON simulated_cloud.machines (instance_type, region) WHERE terminate_requested_at IS NULL;
        -- Added after the first release: tables created before it get the column here.
        ALTER TABLE simulated_cloud.machines ADD COLUMN IF NOT EXISTS fails boolean NOT NULL DEFAULT false;
        -- Lookups by our ownership tags (find a lost launch, list a cluster page by page), and the pruning of old machines.
        CREATE INDEX IF NOT EXISTS machines_by_instance_tag ON simulated_cloud.machines ((tags ->> 'provisioner:instance-id'));
        CREATE INDEX IF NOT EXISTS machines_by_cluster_tag ON simulated_cloud.machines ((tags ->> 'provisioner:cluster'), seq);
        CREATE INDEX IF NOT EXISTS machines_terminated ON simulated_cloud.machines (terminate_requested_at) WHERE terminate_requested_at IS NOT NULL;
        """;

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Ddl, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
