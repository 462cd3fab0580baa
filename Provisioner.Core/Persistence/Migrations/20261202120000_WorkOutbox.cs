using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// The work outbox that replaces Quartz's triggers as the record of what is due: each row commits with the
/// instance change that caused it. Quartz's schema goes; the new job store installs its own schema.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202120000_WorkOutbox")]
public sealed class WorkOutbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "pending_work",
            schema: ProvisionerDbContext.Schema,
            columns: table => new
            {
                instance_id = table.Column<Guid>(type: "uuid", nullable: false),
                kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                ticket = table.Column<Guid>(type: "uuid", nullable: false),
                attempt = table.Column<int>(type: "integer", nullable: false),
                job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                handed_off_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_pending_work", x => new { x.instance_id, x.kind });
                table.ForeignKey("fk_pending_work_instances", x => x.instance_id, principalSchema: ProvisionerDbContext.Schema,
                    principalTable: "instances", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_pending_work_not_handed_off", "pending_work", "run_at", ProvisionerDbContext.Schema, filter: "job_id IS NULL");
        migrationBuilder.CreateIndex("ix_pending_work_run_at", "pending_work", "run_at", ProvisionerDbContext.Schema);
        migrationBuilder.Sql("DROP SCHEMA IF EXISTS quartz CASCADE;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("pending_work", ProvisionerDbContext.Schema);
        migrationBuilder.EnsureSchema("quartz");
    }
}
