using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Placement with failover: the plan a request stating needs was given (its offers, best first), which offer the launch
/// is on (instances recorded before are on their first and only one), and every offer a launch tried, with its outcome.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202210000_PlacementFailover")]
public sealed class PlacementFailover : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("placement_plan", "instances", "jsonb", nullable: true, schema: Schema);
        migrationBuilder.AddColumn<int>("launch_attempt_number", "instances", "integer", nullable: false, defaultValue: 1, schema: Schema);
        migrationBuilder.Sql($"ALTER TABLE {Schema}.instances ALTER COLUMN launch_attempt_number DROP DEFAULT;");

        migrationBuilder.CreateTable(
            name: "launch_attempts",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                number = table.Column<int>(type: "integer", nullable: false),
                provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                instance_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                spot = table.Column<bool>(type: "boolean", nullable: false),
                price_per_hour = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: false),
                outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_launch_attempts", x => x.id);
                table.ForeignKey(
                    name: "fk_launch_attempts_instances",
                    column: x => x.instance_id,
                    principalSchema: Schema,
                    principalTable: "instances",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_launch_attempts_instance_id", "launch_attempts", ["instance_id", "id"], Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("launch_attempts", Schema);
        migrationBuilder.DropColumn("launch_attempt_number", "instances", Schema);
        migrationBuilder.DropColumn("placement_plan", "instances", Schema);
    }
}
