using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>The last retryable cloud error a step met on an instance, and when: what a stuck-state failure names.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261206200000_LastCloudError")]
public sealed class LastCloudError : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("last_cloud_error", "instances", "character varying(1000)", maxLength: 1000, nullable: true, schema: Schema);
        migrationBuilder.AddColumn<DateTimeOffset>("last_cloud_error_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("last_cloud_error", "instances", Schema);
        migrationBuilder.DropColumn("last_cloud_error_at", "instances", Schema);
    }
}
