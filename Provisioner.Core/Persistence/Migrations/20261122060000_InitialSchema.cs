using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Instances and their events, and the schema the first job engine (Quartz) lived in. Written by hand because
/// <c>dotnet ef</c> cannot run on our build machines; <c>MigrationsMatchModelTests</c> proves that applying
/// the migrations yields exactly the schema the EF model describes.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261122060000_InitialSchema")]
public sealed class InitialSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.EnsureSchema(ProvisionerDbContext.Schema);
        // Quartz, the first job engine, kept its tables here; WorkOutbox drops the schema.
        migrationBuilder.EnsureSchema("quartz");

        migrationBuilder.CreateTable(
            name: "instances",
            schema: ProvisionerDbContext.Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                task_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                purpose = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                backend = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                instance_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                disk_size_gb = table.Column<int>(type: "integer", nullable: false),
                auto_terminate_minutes = table.Column<int>(type: "integer", nullable: false),
                tags = table.Column<string>(type: "jsonb", nullable: false),
                metadata = table.Column<string>(type: "jsonb", nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                cloud_instance_id = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                public_ip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                private_ip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                cost_per_hour = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                total_cost = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                auto_terminate_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                launch_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                launched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                ready_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                stop_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                terminated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                failure_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_instances", x => x.id));

        migrationBuilder.CreateTable(
            name: "instance_events",
            schema: ProvisionerDbContext.Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                from_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                to_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                cause = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_instance_events", x => x.id);
                table.ForeignKey(
                    name: "fk_instance_events_instances",
                    column: x => x.instance_id,
                    principalSchema: ProvisionerDbContext.Schema,
                    principalTable: "instances",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("ix_instances_user_id", "instances", "user_id", ProvisionerDbContext.Schema);
        migrationBuilder.CreateIndex("ix_instances_task_id", "instances", "task_id", ProvisionerDbContext.Schema);
        migrationBuilder.CreateIndex("ix_instances_status", "instances", "status", ProvisionerDbContext.Schema);
        migrationBuilder.CreateIndex("ix_instances_provider", "instances", "provider", ProvisionerDbContext.Schema);
        migrationBuilder.CreateIndex(
            name: "ix_instances_owner_created_at",
            schema: ProvisionerDbContext.Schema,
            table: "instances",
            columns: ["owner", "created_at", "id"],
            descending: [false, true, true]);
        migrationBuilder.CreateIndex(
            name: "ix_instances_live_auto_terminate_at",
            schema: ProvisionerDbContext.Schema,
            table: "instances",
            column: "auto_terminate_at",
            filter: "status NOT IN ('TERMINATED', 'FAILED')");
        migrationBuilder.CreateIndex(
            name: "ux_instances_backend_cloud_instance_id",
            schema: ProvisionerDbContext.Schema,
            table: "instances",
            columns: ["backend", "cloud_instance_id"],
            unique: true,
            filter: "cloud_instance_id IS NOT NULL");
        migrationBuilder.CreateIndex(
            name: "ix_instance_events_instance_id",
            schema: ProvisionerDbContext.Schema,
            table: "instance_events",
            columns: ["instance_id", "id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("instance_events", ProvisionerDbContext.Schema);
        migrationBuilder.DropTable("instances", ProvisionerDbContext.Schema);
    }
}
