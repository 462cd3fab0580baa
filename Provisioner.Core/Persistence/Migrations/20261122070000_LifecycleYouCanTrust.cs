using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>Heartbeats and idle limits, stuck-state timing, idempotency keys, reconciliation reports.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261122070000_LifecycleYouCanTrust")]
public sealed class LifecycleYouCanTrust : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>("idle_terminate_minutes", "instances", "integer", nullable: true, schema: Schema);
        migrationBuilder.AddColumn<DateTimeOffset>("last_heartbeat_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);

        // Existing rows entered their status no later than their last update: the closest fact we have.
        migrationBuilder.AddColumn<DateTimeOffset>("status_changed_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);
        migrationBuilder.Sql($"UPDATE {Schema}.instances SET status_changed_at = updated_at");
        migrationBuilder.AlterColumn<DateTimeOffset>("status_changed_at", "instances", "timestamp with time zone", nullable: false,
            schema: Schema, oldClrType: typeof(DateTimeOffset), oldType: "timestamp with time zone", oldNullable: true);

        migrationBuilder.CreateTable(
            name: "idempotency_keys",
            schema: Schema,
            columns: table => new
            {
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_idempotency_keys", x => new { x.owner, x.key });
                table.ForeignKey("fk_idempotency_keys_instances", x => x.instance_id, principalSchema: Schema,
                    principalTable: "instances", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_idempotency_keys_instance_id", "idempotency_keys", "instance_id", Schema);
        migrationBuilder.CreateIndex("ix_idempotency_keys_created_at", "idempotency_keys", "created_at", Schema);

        migrationBuilder.CreateTable(
            name: "reconciliation_runs",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                backend = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                machines_seen = table.Column<int>(type: "integer", nullable: false),
                orphans_terminated = table.Column<int>(type: "integer", nullable: false),
                orphans_in_grace = table.Column<int>(type: "integer", nullable: false),
                records_closed = table.Column<int>(type: "integer", nullable: false),
                machines_adopted = table.Column<int>(type: "integer", nullable: false),
                error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_reconciliation_runs", x => x.id));
        migrationBuilder.CreateIndex(
            name: "ix_reconciliation_runs_backend_started_at",
            schema: Schema,
            table: "reconciliation_runs",
            columns: ["backend", "started_at"],
            descending: [false, true]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("reconciliation_runs", Schema);
        migrationBuilder.DropTable("idempotency_keys", Schema);
        migrationBuilder.DropColumn("status_changed_at", "instances", Schema);
        migrationBuilder.DropColumn("last_heartbeat_at", "instances", Schema);
        migrationBuilder.DropColumn("idle_terminate_minutes", "instances", Schema);
    }
}
