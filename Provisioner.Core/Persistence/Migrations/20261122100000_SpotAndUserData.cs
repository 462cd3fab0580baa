using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>Spot machines with a price ceiling, and the client's own boot script.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261122100000_SpotAndUserData")]
public sealed class SpotAndUserData : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<decimal>("spot_max_price", "instances", "numeric(12,6)", precision: 12, scale: 6, nullable: true, schema: ProvisionerDbContext.Schema);
        migrationBuilder.AddColumn<string>("user_data", "instances", "character varying(16384)", maxLength: 16_384, nullable: true, schema: ProvisionerDbContext.Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("user_data", "instances", ProvisionerDbContext.Schema);
        migrationBuilder.DropColumn("spot_max_price", "instances", ProvisionerDbContext.Schema);
    }
}
