using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>API keys: tenants and operators, with only a hash of each secret stored.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261122090000_ApiKeys")]
public sealed class ApiKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "api_keys",
            schema: ProvisionerDbContext.Schema,
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                tenant = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                secret_hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_api_keys", x => x.id));
        migrationBuilder.CreateIndex("ix_api_keys_tenant", "api_keys", "tenant", ProvisionerDbContext.Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("api_keys", ProvisionerDbContext.Schema);
}
