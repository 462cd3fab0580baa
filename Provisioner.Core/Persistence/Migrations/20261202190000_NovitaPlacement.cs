using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// NovitaAI's request shape: a GPU count for products sold per GPU and the template to start from (instances recorded
/// before have the one GPU their type carries); and placement's shared memory of offerings refused for capacity.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202190000_NovitaPlacement")]
public sealed class NovitaPlacement : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>("gpu_count", "instances", "integer", nullable: false, defaultValue: 1, schema: Schema);
        migrationBuilder.AddColumn<string>("template", "instances", "character varying(64)", maxLength: 64, nullable: true, schema: Schema);
        migrationBuilder.Sql($"ALTER TABLE {Schema}.instances ALTER COLUMN gpu_count DROP DEFAULT;");

        migrationBuilder.CreateTable(
            name: "unavailable_offerings",
            schema: Schema,
            columns: table => new
            {
                provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                instance_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                spot = table.Column<bool>(type: "boolean", nullable: false),
                until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_unavailable_offerings", x => new { x.provider, x.instance_type, x.region, x.spot }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("unavailable_offerings", Schema);
        migrationBuilder.DropColumn("template", "instances", Schema);
        migrationBuilder.DropColumn("gpu_count", "instances", Schema);
    }
}
