using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Webhooks: an instance's own target, a tenant's default target and signing secret, and the deliveries (an outbox
/// written with the transition that raises each event) with every attempt made at them.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202170000_Webhooks")]
public sealed class Webhooks : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("webhook_url", "instances", "character varying(2048)", maxLength: 2048, nullable: true, schema: Schema);
        migrationBuilder.AddColumn<string[]>("webhook_events", "instances", "text[]", nullable: true, schema: Schema);

        migrationBuilder.CreateTable(
            name: "tenant_webhooks",
            schema: Schema,
            columns: table => new
            {
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                events = table.Column<string[]>(type: "text[]", nullable: false),
                secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                previous_secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                previous_secret_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                secret_created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_tenant_webhooks", x => x.owner));

        migrationBuilder.CreateTable(
            name: "webhook_deliveries",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                instance_id = table.Column<Guid>(type: "uuid", nullable: true),
                event_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                payload = table.Column<string>(type: "text", nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                attempts = table.Column<int>(type: "integer", nullable: false),
                attempt_limit = table.Column<int>(type: "integer", nullable: false),
                next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ticket = table.Column<Guid>(type: "uuid", nullable: true),
                job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                handed_off_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_status_code = table.Column<int>(type: "integer", nullable: true),
                last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                table.ForeignKey("fk_webhook_deliveries_instances", x => x.instance_id, principalSchema: Schema,
                    principalTable: "instances", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "webhook_attempts",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                delivery_id = table.Column<Guid>(type: "uuid", nullable: false),
                number = table.Column<int>(type: "integer", nullable: false),
                started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                status_code = table.Column<int>(type: "integer", nullable: true),
                latency_ms = table.Column<int>(type: "integer", nullable: false),
                error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                response_excerpt = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_webhook_attempts", x => x.id);
                table.ForeignKey("fk_webhook_attempts_webhook_deliveries", x => x.delivery_id, principalSchema: Schema,
                    principalTable: "webhook_deliveries", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex("ix_webhook_deliveries_pending", "webhook_deliveries", "next_attempt_at", Schema, filter: "status = 'PENDING'");
        migrationBuilder.CreateIndex(
            name: "ix_webhook_deliveries_owner_created_at",
            schema: Schema,
            table: "webhook_deliveries",
            columns: ["owner", "created_at", "id"],
            descending: [false, true, true]);
        migrationBuilder.CreateIndex("ix_webhook_deliveries_instance_id", "webhook_deliveries", "instance_id", Schema);
        migrationBuilder.CreateIndex("ix_webhook_attempts_delivery_id", "webhook_attempts", ["delivery_id", "number"], Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("webhook_attempts", Schema);
        migrationBuilder.DropTable("webhook_deliveries", Schema);
        migrationBuilder.DropTable("tenant_webhooks", Schema);
        migrationBuilder.DropColumn("webhook_events", "instances", Schema);
        migrationBuilder.DropColumn("webhook_url", "instances", Schema);
    }
}
