using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Warm pools: the pools operators define, the machines each keeps (in a pool or on an instance, never both, never
/// neither: a check the database enforces), and the creates each could serve (its hit rate and its demand).
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261208300000_WarmPools")]
public sealed class WarmPools : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "pools",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                instance_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                disk_size_gb = table.Column<int>(type: "integer", nullable: false),
                min = table.Column<int>(type: "integer", nullable: false),
                max = table.Column<int>(type: "integer", nullable: false),
                idle_minutes = table.Column<int>(type: "integer", nullable: false),
                autoscale = table.Column<bool>(type: "boolean", nullable: false),
                tenants = table.Column<string[]>(type: "text[]", nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_pools", x => x.id));
        migrationBuilder.CreateIndex("ux_pools_name", "pools", "name", Schema, unique: true, filter: "status <> 'DELETED'");
        migrationBuilder.CreateIndex("ix_pools_offer", "pools", ["provider", "instance_type", "region"], Schema);

        migrationBuilder.CreateTable(
            name: "pool_machines",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                pool_id = table.Column<Guid>(type: "uuid", nullable: false),
                backend = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                instance_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                disk_size_gb = table.Column<int>(type: "integer", nullable: false),
                price_per_hour = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                cloud_instance_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                public_ip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                private_ip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                instance_id = table.Column<Guid>(type: "uuid", nullable: true),
                launch_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                launched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                ready_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                drawn_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                released_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                release_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_pool_machines", x => x.id);
                table.CheckConstraint("ck_pool_machines_drawn_has_instance", "(state = 'DRAWN') = (instance_id IS NOT NULL)");
            });
        migrationBuilder.CreateIndex("ix_pool_machines_pool_id_state", "pool_machines", ["pool_id", "state"], Schema);
        migrationBuilder.CreateIndex("ux_pool_machines_instance_id", "pool_machines", "instance_id", Schema, unique: true, filter: "instance_id IS NOT NULL");
        migrationBuilder.CreateIndex("ux_pool_machines_backend_cloud_instance_id", "pool_machines", ["backend", "cloud_instance_id"], Schema,
            unique: true, filter: "cloud_instance_id IS NOT NULL");

        migrationBuilder.CreateTable(
            name: "pool_requests",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                pool_id = table.Column<Guid>(type: "uuid", nullable: false),
                instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                served = table.Column<bool>(type: "boolean", nullable: false),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_pool_requests", x => x.id));
        migrationBuilder.CreateIndex("ix_pool_requests_pool_id_at", "pool_requests", ["pool_id", "at"], Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("pool_requests", Schema);
        migrationBuilder.DropTable("pool_machines", Schema);
        migrationBuilder.DropTable("pools", Schema);
    }
}
