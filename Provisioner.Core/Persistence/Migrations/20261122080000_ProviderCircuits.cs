using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>The workers' circuit breakers, shared so every process can see an open one.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261122080000_ProviderCircuits")]
public sealed class ProviderCircuits : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "provider_circuits",
            schema: ProvisionerDbContext.Schema,
            columns: table => new
            {
                backend = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                open_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_provider_circuits", x => new { x.backend, x.region, x.node }));

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable("provider_circuits", ProvisionerDbContext.Schema);
}
