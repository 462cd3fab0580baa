using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>Each worker's cloud calls per minute by outcome class, and its rate-limit waits, for the Providers page.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202220000_ProviderCallStats")]
public sealed class ProviderCallStats : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "provider_call_stats",
            schema: Schema,
            columns: table => new
            {
                bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                node = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                calls = table.Column<long>(type: "bigint", nullable: false),
                rate_limit_waits = table.Column<long>(type: "bigint", nullable: false),
                rate_limit_wait_ms = table.Column<long>(type: "bigint", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_provider_call_stats", x => new { x.bucket_start, x.provider, x.region, x.outcome, x.node }));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("provider_call_stats", Schema);
}
