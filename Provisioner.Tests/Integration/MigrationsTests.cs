using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Persistence;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// The migrations are written by hand (dotnet ef cannot run here), so these prove them: applying them
/// yields exactly the schema EF would create from the model, and several processes may apply them at once.
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public async Task Migrations_ProduceExactlyTheSchemaOfTheModel()
    {
        await using var migrated = await TestDatabase.CreateMigratedAsync("migrated");
        await using var fromModel = await TestDatabase.CreateAsync("model");
        await using (var db = fromModel.CreateDbContext())
        {
            await db.Database.EnsureCreatedAsync();
        }

        var expected = await DescribeSchemaAsync(fromModel);
        var actual = await DescribeSchemaAsync(migrated);

        expected.Should().NotBeEmpty();
        actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(),
            "every column, type, default, index and constraint of the model must come from the migrations");
    }

    [Fact]
    public async Task Migrate_RunByManyProcessesAtOnce_AppliesEachMigrationOnce()
    {
        await using var database = await TestDatabase.CreateAsync("concurrent");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => database.CreateMigrator().MigrateAsync(CancellationToken.None))));

        await using var db = database.CreateDbContext();
        (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name = 'job'"))
            .Should().Be(1, "the migrate step installs the job store's schema");
        (await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'quartz'"))
            .Should().Be(0, "the first job engine's schema is gone");
        (await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'simulated_cloud'"))
            .Should().Be(3, "the simulated cloud's machines, capacity and API buckets");
    }

    [Fact]
    public async Task Migrate_WhenItsConnectionBreaks_FailsWithTheErrorThatBrokeIt_AndLeavesTheLockFree()
    {
        await using var database = await TestDatabase.CreateAsync("broken");
        var sut = new DatabaseMigrator(database.DataSource, database.CreateDbContextFactory(), [new SessionKiller()], NullLogger<DatabaseMigrator>.Instance);

        var failure = await sut.Awaiting(m => m.MigrateAsync(CancellationToken.None)).Should().ThrowAsync<PostgresException>();

        failure.Which.SqlState.Should().Be(PostgresErrorCodes.AdminShutdown, "the operator reads why it broke, not that the connection was closed");
        await database.CreateMigrator().Awaiting(m => m.MigrateAsync(CancellationToken.None))
            .Should().CompleteWithinAsync(TimeSpan.FromSeconds(60), "the lock went with the broken session");
    }

    [Fact]
    public async Task Migrate_OnACurrentDatabase_ChangesNothing()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("rerun");
        var before = await DescribeSchemaAsync(database);

        await database.CreateMigrator().MigrateAsync(CancellationToken.None);

        (await DescribeSchemaAsync(database)).Should().Equal(before);
    }

    /// <summary>One line per column, index and constraint of our schema, in a stable order.</summary>
    private static async Task<List<string>> DescribeSchemaAsync(TestDatabase database)
    {
        const string sql = """
            SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE ' null' END
                   || coalesce(' default ' || c.column_default, '')
                   || coalesce(' identity ' || c.identity_generation, '')
              FROM information_schema.columns c
              JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
                                 AND a.attname = c.column_name
             WHERE c.table_schema = 'provisioner' AND c.table_name <> 'ef_migrations_history'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes
             WHERE schemaname = 'provisioner' AND tablename <> 'ef_migrations_history'
            UNION ALL
            SELECT 'constraint ' || rel.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
              FROM pg_constraint con
              JOIN pg_class rel ON rel.oid = con.conrelid
              JOIN pg_namespace ns ON ns.oid = rel.relnamespace
             WHERE ns.nspname = 'provisioner' AND rel.relname <> 'ef_migrations_history'
            ORDER BY 1
            """;
        var lines = new List<string>();
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    /// <summary>A schema installer whose session is ended under it, as a failover or an operator's kill would.</summary>
    private sealed class SessionKiller : ISchemaInstaller
    {
        public async Task InstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(pg_backend_pid())", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
