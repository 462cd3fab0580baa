using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>Retention: the archive of finished instances, the record of retention runs, and the index retention asks.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261206400000_Retention")]
public sealed class Retention : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "archived_instances",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                archived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                record = table.Column<string>(type: "jsonb", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_archived_instances", x => x.id));
        migrationBuilder.CreateIndex("ix_archived_instances_owner_ended_at", "archived_instances", ["owner", "ended_at"], Schema);

        migrationBuilder.CreateTable(
            name: "retention_runs",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ended_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                instances_archived = table.Column<int>(type: "integer", nullable: false),
                batches = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_retention_runs", x => x.id));
        migrationBuilder.CreateIndex("ix_retention_runs_started_at", "retention_runs", "started_at", Schema);

        migrationBuilder.CreateIndex(
            name: "ix_instances_finished_status_changed_at",
            schema: Schema,
            table: "instances",
            columns: ["status_changed_at", "id"],
            filter: "status IN ('TERMINATED', 'FAILED')");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("ix_instances_finished_status_changed_at", "instances", Schema);
        migrationBuilder.DropTable("retention_runs", Schema);
        migrationBuilder.DropTable("archived_instances", Schema);
    }
}
