using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Puts a dead worker's jobs back in line as soon as their <see cref="JobsOptions.InvisibilityTimeout"/> runs out,
/// and wakes a thread for each. Hangfire.PostgreSql leaves a fetched job in its queue row, kept hidden by its
/// worker's keep-alive; once the keep-alive stops, the row is only found again by a thread that happens to look
/// (idle threads look every <see cref="JobsOptions.QueuePollInterval"/>, 5 s, when no wake-up comes) and finds no
/// fresh work first: its fetch orders rows <c>fetchedat NULLS FIRST</c>, so while new jobs keep arriving a timed-out
/// one waits behind all of them. Here the timed-out row's <c>fetchedat</c> is cleared, which makes it fresh work
/// again, first in line by its older job id, and its queue is notified, so a waiting thread of any worker takes it
/// over within milliseconds of the timeout.
/// </summary>
/// <remarks>
/// Clearing a timed-out row is what the store's own fetch would do to it (take it over), only sooner and in order;
/// a worker whose keep-alive was merely late finds the row no longer its own, exactly as when another worker's
/// fetch takes it. Every worker runs one; the update's row locks let only one of them clear a row. It looks when the
/// earliest fetched row would time out if its keep-alive stopped now, and at least every invisibility timeout (a row
/// fetched meanwhile cannot time out sooner) while any job is queued or fetched. With the wake-up path, a store with
/// no job queued or fetched anywhere has nothing that can time out until work is enqueued, and every enqueue
/// notifies: the loop then sleeps until the next notification and looks an invisibility timeout after it (a job
/// fetched since is still hidden then, or done), or after <see cref="JobsOptions.QueuePollInterval"/> without one
/// (a job a thread's poll found after a lost notification). Idle, that is one look per poll interval, not one per
/// timeout.
/// </remarks>
internal sealed class JobTakeover(
    NpgsqlDataSource dataSource,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<JobTakeover> logger,
    JobWakeUp? wakeUp = null) : BackgroundService
{
    /// <summary>Looked a little after a row's timeout, so the row is past it by the database's clock.</summary>
    private static readonly TimeSpan AfterTimeout = TimeSpan.FromMilliseconds(50);

    // The released rows' notifications carry the row id: PostgreSQL folds notifications with the same payload in one
    // transaction into one, and each released job should wake a thread.
    private static readonly string Release = $"""
        WITH released AS (
            UPDATE {JobQueues.StoreSchema}.jobqueue SET fetchedat = NULL
             WHERE fetchedat < now() - $1
            RETURNING id, queue),
        woken AS (
            SELECT pg_notify('{JobWakeUp.Channel}', queue || '{JobWakeUp.PayloadSeparator}' || id) FROM released)
        SELECT (SELECT count(*) FROM woken),
               (SELECT EXTRACT(EPOCH FROM min(fetchedat) + $1 - now())::float8
                  FROM {JobQueues.StoreSchema}.jobqueue WHERE fetchedat >= now() - $1),
               EXISTS (SELECT 1 FROM {JobQueues.StoreSchema}.jobqueue WHERE fetchedat IS NULL)
        """;

    /// <summary>Releases every timed-out row once.</summary>
    /// <returns>
    /// How many rows it released, how long until the earliest still-hidden row would time out, and whether any job
    /// waits in a queue unfetched (it may be fetched, and its worker die, without a further notification).
    /// </returns>
    public async Task<(long Released, TimeSpan? NextTimeout, bool Queued)> ReleaseTimedOutAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Release);
        command.Parameters.Add(new() { Value = options.Value.InvisibilityTimeout });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var released = reader.GetInt64(0);
        TimeSpan? next = reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1)));
        return (released, next, reader.GetBoolean(2));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = options.Value.InvisibilityTimeout;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the look: a notification during it means work the look may not have seen.
            var notified = wakeUp?.NextNotification;
            var wait = timeout;
            var nothingToWatch = false;
            try
            {
                var (released, next, queued) = await ReleaseTimedOutAsync(stoppingToken);
                if (released > 0)
                {
                    logger.JobsTakenOver(released);
                }

                if (next is { } due && due + AfterTimeout < wait)
                {
                    wait = due + AfterTimeout;
                }

                nothingToWatch = released == 0 && next is null && !queued;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.TakeoverFailed(error);
            }

            try
            {
                if (nothingToWatch && notified is not null && !await NotifiedWithinAsync(notified, options.Value.QueuePollInterval, stoppingToken))
                {
                    continue;
                }

                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether a notification came within <paramref name="limit"/>.</summary>
    private async Task<bool> NotifiedWithinAsync(Task notified, TimeSpan limit, CancellationToken stoppingToken)
    {
        try
        {
            await notified.WaitAsync(limit, clock, stoppingToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
