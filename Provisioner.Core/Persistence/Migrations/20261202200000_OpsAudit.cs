using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>The operator console's audit list: who did what to which record, and when.</summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261202200000_OpsAudit")]
public sealed class OpsAudit : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ops_audit",
            schema: Schema,
            columns: table => new
            {
                id = table.Column<long>(type: "bigint", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                key_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                key_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                target = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                instance_id = table.Column<Guid>(type: "uuid", nullable: true),
                outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_ops_audit", x => x.id));
        migrationBuilder.CreateIndex("ix_ops_audit_instance_id", "ops_audit", "instance_id", Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("ops_audit", Schema);
}
