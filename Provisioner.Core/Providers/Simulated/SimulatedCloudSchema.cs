using Npgsql;

namespace Provisioner.Core.Providers.Simulated;

/// <summary>
/// The simulated cloud's own tables (its machines, its capacity, its API buckets). They are the cloud, not our
/// records, so they are kept out of the EF model and created by the migrate step alongside it.
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
        -- An event from outside the provisioner (SimulatedCloudControl): 'stop' (stopped in the console), 'preempt' (a spot
        -- reclaim, noticed ahead when outside_at is later than its setting), 'hide' (gone without a trace), 'impair' (failing its health checks), from outside_at.
        ALTER TABLE simulated_cloud.machines ADD COLUMN IF NOT EXISTS outside_event text NULL;
        ALTER TABLE simulated_cloud.machines ADD COLUMN IF NOT EXISTS outside_at timestamptz NULL;
        -- Lookups by our ownership tags (find a lost launch, list a cluster page by page), and the pruning of old machines.
        CREATE INDEX IF NOT EXISTS machines_by_instance_tag ON simulated_cloud.machines ((tags ->> 'provisioner:instance-id'));
        CREATE INDEX IF NOT EXISTS machines_by_cluster_tag ON simulated_cloud.machines ((tags ->> 'provisioner:cluster'), seq);
        CREATE INDEX IF NOT EXISTS machines_terminated ON simulated_cloud.machines (terminate_requested_at) WHERE terminate_requested_at IS NOT NULL;
        -- Capacity per type and region, changed while the cloud runs (SimulatedCloudControl); it overrides the settings.
        CREATE TABLE IF NOT EXISTS simulated_cloud.capacity (
            instance_type text NOT NULL,
            region text NOT NULL,
            machines integer NOT NULL CHECK (machines >= 0),
            PRIMARY KEY (instance_type, region)
        );
        -- The cloud's own API token buckets per action and region (SharedTokenBucket), shared by every process using it.
        CREATE TABLE IF NOT EXISTS simulated_cloud.api_buckets (
            account text NOT NULL,
            region text NOT NULL,
            action text NOT NULL,
            tokens double precision NOT NULL,
            updated_at timestamptz NOT NULL,
            taken bigint NOT NULL,
            refused bigint NOT NULL,
            PRIMARY KEY (account, region, action)
        );
        """;

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Ddl, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
