using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>The catalog checked against the clouds: each difference the last check found, and since when.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261206500300_CatalogCheck")]
public sealed class CatalogCheck : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "catalog_mismatches",
            schema: Schema,
            columns: table => new
            {
                provider = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                instance_type = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                cloud_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_catalog_mismatches", x => new { x.provider, x.region, x.instance_type, x.kind }));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("catalog_mismatches", Schema);
}
