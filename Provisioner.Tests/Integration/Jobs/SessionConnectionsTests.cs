using Microsoft.Extensions.Configuration;
using Npgsql;
using Provisioner.Hosting.Connections;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// A worker's session state (LISTEN, session advisory locks) goes through a pool that resets a returned connection,
/// whatever the connection string says, so the steps' pool, which skips the reset, never carries it.
/// </summary>
public sealed class SessionConnectionsTests : IAsyncLifetime
{
    private const long LockKey = 0x53_45_53_53_49_4F_4E;

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(SessionConnectionsTests));

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReturnedConnection_HoldsNoLockAndListensToNothing_EvenWhenTheStringSaysNoReset()
    {
        var settings = SessionConnections.Settings(Configuration(_database.ConnectionString + ";No Reset On Close=true"), new JobsOptions(), "node-a");
        await using var sut = new SessionConnections(NpgsqlDataSource.Create(settings));

        var backend = await LeaveSessionStateAsync(() => sut.OpenAsync(CancellationToken.None));

        await using var again = await sut.OpenAsync(CancellationToken.None);
        (await PidAsync(again)).Should().Be(backend, "the pool hands back the connection it was given");
        (await SessionStateAsync(again)).Should().Be((0, 0), "the reset released the lock and the LISTEN");
        (await TryLockElsewhereAsync()).Should().BeTrue("no other process is kept from the lock");
    }

    [Fact]
    public async Task StatelessPool_KeepsWhatASessionLeft_WhichIsWhyTheWorkersSessionStateHasItsOwnPool()
    {
        var settings = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        StatelessConnections.Tune(settings);
        await using var steps = NpgsqlDataSource.Create(settings);

        var backend = await LeaveSessionStateAsync(() => steps.OpenConnectionAsync(CancellationToken.None));

        await using var again = await steps.OpenConnectionAsync();
        (await PidAsync(again)).Should().Be(backend);
        (await SessionStateAsync(again)).Should().Be((1, 1));
        (await TryLockElsewhereAsync()).Should().BeFalse();
    }

    private static IConfiguration Configuration(string connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Provisioner"] = connectionString }).Build();

    /// <summary>Takes a session lock and LISTENs on a connection, then gives it back without undoing either.</summary>
    private static async Task<int> LeaveSessionStateAsync(Func<ValueTask<NpgsqlConnection>> open)
    {
        await using var connection = await open();
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey}); LISTEN session_test", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        (await SessionStateAsync(connection)).Should().Be((1, 1), "the session holds both before it goes back");
        return await PidAsync(connection);
    }

    private static async Task<int> PidAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(int Locks, int Channels)> SessionStateAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted),
                   (SELECT count(*)::int FROM pg_listening_channels())
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private async Task<bool> TryLockElsewhereAsync()
    {
        await using var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = false }.ConnectionString);
        await other.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", other);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
