using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// When the cloud first reported a ready instance's machine impaired, so <c>Lifecycle:ImpairedAfter</c> is measured from
/// that report across watch passes (the machine watch).
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261208100000_ImpairedMachines")]
public sealed class ImpairedMachines : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<DateTimeOffset>("impaired_since", "instances", "timestamp with time zone", nullable: true, schema: Schema);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("impaired_since", "instances", Schema);
}
