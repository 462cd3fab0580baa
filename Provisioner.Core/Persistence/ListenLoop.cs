using Npgsql;

namespace Provisioner.Core.Persistence;

/// <summary>
/// A PostgreSQL <c>LISTEN</c> held for as long as a process runs, on a connection of its own, rebuilt after a failure.
/// Notices sent while no connection listened are gone, so each (re)connection, once listening, calls
/// <c>onListening</c>: the caller looks again at whatever the notices would have told it.
/// </summary>
public static class ListenLoop
{
    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; never throws otherwise.</summary>
    /// <param name="open">Opens a connection with a session of its own (a <c>LISTEN</c> is session state).</param>
    /// <param name="onNotice">Each notice's payload, on the connection's reading thread: keep it short.</param>
    /// <param name="onListening">The <c>LISTEN</c> is in place, first or again.</param>
    /// <param name="onLost">The connection failed; the next try comes after <paramref name="retryDelay"/>.</param>
    public static async Task RunAsync(
        Func<CancellationToken, ValueTask<NpgsqlConnection>> open,
        string channel,
        Action<string> onNotice,
        Action onListening,
        Action<Exception> onLost,
        TimeSpan retryDelay,
        TimeProvider clock,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await open(stoppingToken);
                connection.Notification += (_, e) => onNotice(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                onListening();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                onLost(error);
                try
                {
                    await Task.Delay(retryDelay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
