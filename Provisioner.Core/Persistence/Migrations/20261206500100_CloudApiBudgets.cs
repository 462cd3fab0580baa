using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>Cloud API budgets per account, region and action, shared by every worker process (token buckets in rows).</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261206500100_CloudApiBudgets")]
public sealed class CloudApiBudgets : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "cloud_api_budgets",
            schema: Schema,
            columns: table => new
            {
                account = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                tokens = table.Column<double>(type: "double precision", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                taken = table.Column<long>(type: "bigint", nullable: false),
                refused = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_cloud_api_budgets", x => new { x.account, x.region, x.action }));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("cloud_api_budgets", Schema);
}
