using Provisioner.Core.Persistence;

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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => ListenLoop.RunAsync(
        sessions.OpenAsync,
        JobWakeUp.Channel,
        payload => wakeUp.Wake(JobWakeUp.QueueOf(payload)),
        () =>
        {
            _listening.TrySetResult();
            wakeUp.WakeAll();
        },
        logger.WakeUpListenerLost,
        JobsOptions.ListenRetryDelay,
        clock,
        stoppingToken);
}
