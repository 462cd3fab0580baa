using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Unavailable offerings carry their refusals in a row, so the fixed skip window becomes an exponential backoff
/// (a row now lives until a launch on the offering succeeds). Rows present count as one refusal.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261206500000_OfferingBackoff")]
public sealed class OfferingBackoff : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>("refusals", "unavailable_offerings", "integer", nullable: false, defaultValue: 1, schema: Schema);
        // The default only fills the rows present; the model has none, every insert states the count.
        migrationBuilder.Sql("ALTER TABLE provisioner.unavailable_offerings ALTER COLUMN refusals DROP DEFAULT");
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("refusals", "unavailable_offerings", Schema);
}
