using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Billing by each cloud's rule: the rule kept with each instance, when the cloud accepted the stop and when the
/// machine was released, and whether a spot price is still the ceiling. Instances recorded before keep the cost
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
        migrationBuilder.Sql($"""
            UPDATE {Schema}.instances SET released_at = terminated_at WHERE status IN ('TERMINATED', 'FAILED');
            ALTER TABLE {Schema}.instances
                ALTER COLUMN cost_is_estimate DROP DEFAULT,
                ALTER COLUMN billing_increment_seconds DROP DEFAULT,
                ALTER COLUMN billing_minimum_seconds DROP DEFAULT,
                ALTER COLUMN billing_stops_at DROP DEFAULT;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var column in new[] { "released_at", "stop_accepted_at", "billing_stops_at", "billing_minimum_seconds", "billing_increment_seconds", "cost_is_estimate" })
        {
            migrationBuilder.DropColumn(column, "instances", Schema);
        }
    }
}
