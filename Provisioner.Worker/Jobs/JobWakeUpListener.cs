using Npgsql;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Keeps this process's one LISTEN connection on <see cref="JobWakeUp.Channel"/> and turns each notification into a
/// wake-up of the threads waiting on the notified queue. After a lost connection it reconnects and wakes every
/// thread once, since notifications sent meanwhile are gone; the job threads' fallback poll covers the gap.
/// </summary>
internal sealed class JobWakeUpListener(
    JobWakeUp wakeUp,
    SessionConnections sessions,
    TimeProvider clock,
    ILogger<JobWakeUpListener> logger) : BackgroundService
{
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place: notifications sent after it reach this process.</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await sessions.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => wakeUp.Wake(JobWakeUp.QueueOf(e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN {JobWakeUp.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                wakeUp.WakeAll();
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
                logger.WakeUpListenerLost(error);
                try
                {
                    await Task.Delay(JobsOptions.ListenRetryDelay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
