using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Billing by each cloud's rule: the rule kept with each instance, when the cloud accepted the stop and when the
/// machine was released, and whether a spot price is still the ceiling; the cost rollups (hourly and daily buckets,
/// each live instance's mark, each run); tenants' budgets and the thresholds they crossed. Instances recorded before keep the cost
/// they had: per second, no minimum, released when they ended.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202180000_Billing")]
public sealed class Billing : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>("cost_is_estimate", "instances", "boolean", nullable: false, defaultValue: false, schema: Schema);
        migrationBuilder.AddColumn<int>("billing_increment_seconds", "instances", "integer", nullable: false, defaultValue: 1, schema: Schema);
        migrationBuilder.AddColumn<int>("billing_minimum_seconds", "instances", "integer", nullable: false, defaultValue: 0, schema: Schema);
        migrationBuilder.AddColumn<string>("billing_stops_at", "instances", "character varying(16)", maxLength: 16, nullable: false, defaultValue: "RELEASED", schema: Schema);
        migrationBuilder.AddColumn<DateTimeOffset>("stop_accepted_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);
        migrationBuilder.AddColumn<DateTimeOffset>("released_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);
        migrationBuilder.AddColumn<bool>("cost_settled", "instances", "boolean", nullable: false, defaultValue: false, schema: Schema);
        migrationBuilder.CreateIndex("ix_instances_cost_unsettled", "instances", "id", Schema, filter: "launched_at IS NOT NULL AND NOT cost_settled");
        migrationBuilder.Sql($"""
            UPDATE {Schema}.instances SET released_at = terminated_at WHERE status IN ('TERMINATED', 'FAILED');
            ALTER TABLE {Schema}.instances
                ALTER COLUMN cost_is_estimate DROP DEFAULT,
                ALTER COLUMN billing_increment_seconds DROP DEFAULT,
                ALTER COLUMN billing_minimum_seconds DROP DEFAULT,
                ALTER COLUMN billing_stops_at DROP DEFAULT,
                ALTER COLUMN cost_settled DROP DEFAULT;
            """);

        migrationBuilder.CreateTable(
            name: "cost_rollups",
            schema: Schema,
            columns: table => new
            {
                granularity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                instance_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                cost = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_cost_rollups", x => new { x.granularity, x.bucket_start, x.owner, x.user_id, x.provider, x.instance_type, x.region }));
        migrationBuilder.CreateIndex("ix_cost_rollups_owner", "cost_rollups", ["owner", "granularity", "bucket_start"], Schema);

        migrationBuilder.CreateTable(
            name: "cost_rollup_marks",
            schema: Schema,
            columns: table => new
            {
                instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                rolled_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                rolled_cost = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_cost_rollup_marks", x => x.instance_id);
                table.ForeignKey("fk_cost_rollup_marks_instances", x => x.instance_id, principalSchema: Schema,
                    principalTable: "instances", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "cost_rollup_runs",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                folded_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                instances_folded = table.Column<int>(type: "integer", nullable: false),
                instances_settled = table.Column<int>(type: "integer", nullable: false),
                buckets_written = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_cost_rollup_runs", x => x.id));
        migrationBuilder.CreateIndex("ix_cost_rollup_runs_started_at", "cost_rollup_runs", "started_at", Schema);

        migrationBuilder.CreateTable(
            name: "tenant_budgets",
            schema: Schema,
            columns: table => new
            {
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                monthly_limit = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                per_instance_cap = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                alerted_month = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                alerted_percent = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_tenant_budgets", x => x.owner));

        migrationBuilder.CreateTable(
            name: "budget_events",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                month = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                percent = table.Column<int>(type: "integer", nullable: false),
                spent = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false),
                monthly_limit = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                action = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_budget_events", x => x.id));
        migrationBuilder.CreateIndex("ix_budget_events_owner_month", "budget_events", ["owner", "month"], Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("budget_events", Schema);
        migrationBuilder.DropTable("tenant_budgets", Schema);
        migrationBuilder.DropTable("cost_rollup_runs", Schema);
        migrationBuilder.DropTable("cost_rollup_marks", Schema);
        migrationBuilder.DropTable("cost_rollups", Schema);
        migrationBuilder.DropIndex("ix_instances_cost_unsettled", "instances", Schema);
        foreach (var column in new[] { "cost_settled", "released_at", "stop_accepted_at", "billing_stops_at", "billing_minimum_seconds", "billing_increment_seconds", "cost_is_estimate" })
        {
            migrationBuilder.DropColumn(column, "instances", Schema);
        }
    }
}
