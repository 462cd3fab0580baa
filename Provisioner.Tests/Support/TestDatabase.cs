using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Worker.Jobs;
using Provisioner.Core.Persistence;

namespace Provisioner.Tests.Support;

/// <summary>
/// A fresh database on the test PostgreSQL, dropped when disposed, so every fixture has its own rows.
/// The server comes from <c>PROVISIONER_TEST_DB</c> (set by <c>deploy/local/test.sh</c>, which starts it).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "PROVISIONER_TEST_DB";
    private const string DefaultServer = "Host=127.0.0.1;Port=55433;Username=postgres";

    private TestDatabase(string name, string connectionString, NpgsqlDataSource dataSource)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var safe = new string(purpose.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var name = $"t_{safe}_{Guid.NewGuid():N}"[..40];
        await using (var admin = await OpenAdminAsync())
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name, MaxPoolSize = 30 }.ConnectionString;
        return new TestDatabase(name, connectionString, NpgsqlDataSource.Create(connectionString));
    }

    /// <summary>A database with the full schema: what the migrate step makes.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string purpose)
    {
        var database = await CreateAsync(purpose);
        await database.CreateMigrator().MigrateAsync(CancellationToken.None);
        return database;
    }

    public DatabaseMigrator CreateMigrator() =>
        new(DataSource, new DbFactory(this), [new JobStoreSchemaInstaller()], NullLogger<DatabaseMigrator>.Instance);

    public IDbContextFactory<ProvisionerDbContext> CreateDbContextFactory() => new DbFactory(this);

    /// <summary>Creates an API key directly in the database, as the <c>keys create</c> command does.</summary>
    public async Task<string> CreateApiKeyAsync(string tenant, Provisioner.Core.Tenancy.ApiKeyRole role = Provisioner.Core.Tenancy.ApiKeyRole.Tenant)
    {
        using var cache = new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions());
        var (_, secret) = await new Provisioner.Core.Tenancy.ApiKeyService(new DbFactory(this), TimeProvider.System, cache)
            .CreateAsync(tenant, $"test key for {tenant}", role, CancellationToken.None);
        return secret;
    }

    public ProvisionerDbContext CreateDbContext() => new(new DbContextOptionsBuilder<ProvisionerDbContext>()
        .UseNpgsql(DataSource, o => o.MigrationsHistoryTable(ProvisionerDbContext.MigrationsHistoryTable, ProvisionerDbContext.Schema))
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
        .Options);

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value switch
        {
            null or DBNull => default!,
            // timestamptz arrives as a UTC DateTime.
            DateTime utc when typeof(T) == typeof(DateTimeOffset) || typeof(T) == typeof(DateTimeOffset?) => (T)(object)new DateTimeOffset(utc, TimeSpan.Zero),
            _ => (T)value,
        };
    }

    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } s ? s : DefaultServer;

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (NpgsqlException error)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"The test PostgreSQL is not reachable at '{Server}'. Run the tests with deploy/local/test.sh, which starts it, " +
                $"or point {ServerVariable} at a server you started.", error);
        }
    }

    private sealed class DbFactory(TestDatabase database) : IDbContextFactory<ProvisionerDbContext>
    {
        public ProvisionerDbContext CreateDbContext() => database.CreateDbContext();
    }
}
