using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Relaunch after an interruption: how many interruptions an instance had, the machines it lost (jsonb, each with its bill
/// and its release), what they cost in total (added to every cost figure in SQL), and whether a relaunch awaits placing.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261208200100_Relaunch")]
public sealed class Relaunch : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // Existing rows had no relaunch; the defaults are dropped after, as the model has none.
        migrationBuilder.AddColumn<int>("interruption_count", "instances", "integer", nullable: false, defaultValue: 0, schema: Schema);
        migrationBuilder.AddColumn<string>("machines", "instances", "jsonb", nullable: false, defaultValue: "[]", schema: Schema);
        migrationBuilder.AddColumn<decimal>("earlier_machines_cost", "instances", "numeric(18,6)", precision: 18, scale: 6, nullable: false, defaultValue: 0m, schema: Schema);
        migrationBuilder.AddColumn<bool>("relaunch_pending", "instances", "boolean", nullable: false, defaultValue: false, schema: Schema);
        migrationBuilder.Sql($"""
            UPDATE {Schema}.instances SET interruption_count = 1 WHERE interrupted_at IS NOT NULL;
            ALTER TABLE {Schema}.instances
                ALTER COLUMN interruption_count DROP DEFAULT,
                ALTER COLUMN machines DROP DEFAULT,
                ALTER COLUMN earlier_machines_cost DROP DEFAULT,
                ALTER COLUMN relaunch_pending DROP DEFAULT;
            """);

        // A relaunched instance between machines has no launch, but its earlier machines' bill is still to fold.
        migrationBuilder.DropIndex("ix_instances_cost_unsettled", "instances", Schema);
        migrationBuilder.CreateIndex("ix_instances_cost_unsettled", "instances", "id", Schema, filter: "(launched_at IS NOT NULL OR earlier_machines_cost > 0) AND NOT cost_settled");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("ix_instances_cost_unsettled", "instances", Schema);
        migrationBuilder.CreateIndex("ix_instances_cost_unsettled", "instances", "id", Schema, filter: "launched_at IS NOT NULL AND NOT cost_settled");
        foreach (var column in new[] { "relaunch_pending", "earlier_machines_cost", "machines", "interruption_count" })
        {
            migrationBuilder.DropColumn(column, "instances", Schema);
        }
    }
}
