using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>When the cloud says an interrupted instance's machine stopped: its billing ends there (the machine watch).</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261207200000_MachineWatch")]
public sealed class MachineWatch : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<DateTimeOffset>("interrupted_at", "instances", "timestamp with time zone", nullable: true, schema: Schema);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("interrupted_at", "instances", Schema);
}
