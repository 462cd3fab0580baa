using Hangfire.States;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Hands committed outbox rows to the job engine. It wakes on the notification a writer's commit delivers on
/// <see cref="Channel"/>, and looks anyway every <see cref="JobsOptions.RelayPollInterval"/> for what a crash between
/// commit and hand-off, or a lost notification, left behind. Every worker runs one per outbox; rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so two relays never hand off the same row at once.
/// </summary>
internal abstract class OutboxRelay(
    NpgsqlDataSource dataSource,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger logger) : BackgroundService
{
    /// <summary>The most rows one batch claims (the LIMIT in each claim query): a full batch means look again at once.</summary>
    protected const int BatchSize = 100;

    protected NpgsqlDataSource DataSource => dataSource;
    protected JobsOptions Settings => options.Value;
    protected TimeProvider Clock => clock;

    /// <summary>The notification channel writers of this outbox signal on commit.</summary>
    protected abstract string Channel { get; }

    /// <summary>Hands off one batch.</summary>
    /// <returns>How many rows it handed off.</returns>
    public abstract Task<int> RelayBatchAsync(CancellationToken cancellationToken);

    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RelayBatchAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(error, "Outbox relay for {Channel} failed; trying again", Channel);
            }

            try
            {
                await _wake.WaitAsync(options.Value.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await listening;
    }

    /// <summary>
    /// Due now: straight onto the queue. Due later: a delayed job at the due time rounded up to the second,
    /// because the store keeps whole seconds and rounding down would start it early.
    /// </summary>
    protected static IState StateFor(DateTimeOffset runAt, DateTimeOffset now, string queue)
    {
        if (runAt <= now)
        {
            return new EnqueuedState(queue);
        }

        var ticks = runAt.UtcTicks;
        var roundedUp = ticks % TimeSpan.TicksPerSecond == 0 ? ticks : ticks - (ticks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond;
        return new ScheduledState(new DateTime(roundedUp, DateTimeKind.Utc));
    }

    /// <summary>Keeps a LISTEN connection open for as long as the worker runs, reconnecting after a failure.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Anything committed while we were not listening is found by this look.
                Wake();
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
                logger.LogWarning(error, "Outbox relay lost its LISTEN connection to {Channel}; reconnecting", Channel);
                try
                {
                    await Task.Delay(options.Value.RelayPollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one look covers every notification since.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
