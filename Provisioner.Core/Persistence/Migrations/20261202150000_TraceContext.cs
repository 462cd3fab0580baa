using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Each outbox row carries the trace context and correlation id of what scheduled it, so the job that runs it
/// continues the same trace. Nullable: rows written before this release, and work scheduled outside any trace.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202150000_TraceContext")]
public sealed class TraceContext : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("trace_parent", "pending_work", "character varying(55)", maxLength: 55, nullable: true, schema: ProvisionerDbContext.Schema);
        migrationBuilder.AddColumn<string>("correlation_id", "pending_work", "character varying(128)", maxLength: 128, nullable: true, schema: ProvisionerDbContext.Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn("trace_parent", "pending_work", ProvisionerDbContext.Schema);
        migrationBuilder.DropColumn("correlation_id", "pending_work", ProvisionerDbContext.Schema);
    }
}
