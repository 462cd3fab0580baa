using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>Waiting for capacity: until when a request may wait, what it waits for, and when it is tried next.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261206500200_CapacityWait")]
public sealed class CapacityWait : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<DateTimeOffset>("capacity_wait_until", "instances", "timestamp with time zone", nullable: true, schema: Schema);
        migrationBuilder.AddColumn<string>("waiting_for", "instances", "character varying(32)", maxLength: 32, nullable: true, schema: Schema);
        migrationBuilder.AddColumn<DateTimeOffset>("next_try_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("capacity_wait_until", "instances", Schema);
        migrationBuilder.DropColumn("waiting_for", "instances", Schema);
        migrationBuilder.DropColumn("next_try_at", "instances", Schema);
    }
}
