using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Persistence.Migrations;

/// <summary>
/// Every update of an instance row notifies <see cref="InstanceChanges.Channel"/> with the instance's id, so an API
/// holding a client's conditional read (<c>Prefer: wait</c>) answers the moment the row changes instead of polling.
/// A trigger rather than the writers: the workers change instances from EF Core and from SQL, and none can forget it.
/// PostgreSQL folds repeated notices of one id within a transaction into one.
/// </summary>
[DbContext(typeof(ProvisionerDbContext))]
[Migration("20261209100000_InstanceChangeNotify")]
public sealed class InstanceChangeNotify : Migration
{
    private const string Schema = ProvisionerDbContext.Schema;

    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($"""
        CREATE FUNCTION {Schema}.notify_instance_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{InstanceChanges.Channel}', NEW.id::text);
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER instances_changed AFTER UPDATE ON {Schema}.instances
            FOR EACH ROW EXECUTE FUNCTION {Schema}.notify_instance_changed();
        """);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($"""
        DROP TRIGGER instances_changed ON {Schema}.instances;
        DROP FUNCTION {Schema}.notify_instance_changed();
        """);
}
