using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// NovitaAI's request shape: a GPU count for products sold per GPU and the template to start from. Instances recorded
/// before have the one GPU their type carries.
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
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("template", "instances", Schema);
        migrationBuilder.DropColumn("gpu_count", "instances", Schema);
    }
}
