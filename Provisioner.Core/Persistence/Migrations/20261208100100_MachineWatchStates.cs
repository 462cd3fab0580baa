using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>The machine watch's latest pass per cloud, and what it could not read: for the Reconciliation page and <c>/health/ready</c>.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261208100100_MachineWatchStates")]
public sealed class MachineWatchStates : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "machine_watch_states",
            schema: Schema,
            columns: table => new
            {
                backend = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                checked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                watched = table.Column<int>(type: "integer", nullable: false),
                error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_machine_watch_states", x => x.backend));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("machine_watch_states", Schema);
}
