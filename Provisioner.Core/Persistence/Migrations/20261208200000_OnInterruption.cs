using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>What an instance asked to happen on an interruption, and how many it recovers from when it asked for relaunch.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261208200000_OnInterruption")]
public sealed class OnInterruption : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // Existing rows get the default policy; the defaults are dropped after, as the model has none.
        migrationBuilder.AddColumn<string>("on_interruption", "instances", "character varying(16)", maxLength: 16, nullable: false, defaultValue: "FAIL", schema: Schema);
        migrationBuilder.AddColumn<int>("max_interruptions", "instances", "integer", nullable: false, defaultValue: 0, schema: Schema);
        migrationBuilder.Sql($"""
            ALTER TABLE {Schema}.instances
                ALTER COLUMN on_interruption DROP DEFAULT,
                ALTER COLUMN max_interruptions DROP DEFAULT;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("on_interruption", "instances", Schema);
        migrationBuilder.DropColumn("max_interruptions", "instances", Schema);
    }
}
