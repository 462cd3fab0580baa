using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Persistence;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Hands committed outbox rows to the job engine: one relay type for every outbox (<see cref="IOutbox"/>). It wakes on
/// the notification a writer's commit delivers on the outbox's channel, when the earliest row falls due, when a
/// handed-off row's job would be presumed lost, and anyway every <see cref="JobsOptions.RelayPollInterval"/> for what
/// a lost notification left behind. Every worker runs one per outbox; rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so two relays
/// never hand off the same row at once.
/// </summary>
internal sealed class OutboxRelay(
    IOutbox outbox,
    NpgsqlDataSource dataSource,
    SessionConnections sessions,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private string Channel => outbox.Channel;

    /// <summary>
    /// Hands off one batch of at most <see cref="JobsOptions.RelayBatchSize"/> rows, and reads when the relay must look
    /// next in the same round trip as its last statement (the claim when nothing was due, else the hand-off's marks).
    /// </summary>
    /// <returns>How many rows it handed off, and when to look next (<see cref="IOutbox.NextDue"/>; null when no row needs it).</returns>
    public async Task<(int HandedOff, DateTimeOffset? NextDue)> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var claimed = new List<Claimed>();
        DateTimeOffset? nextDue;
        await using (var look = new NpgsqlBatch(connection, transaction))
        {
            var claim = new NpgsqlBatchCommand(outbox.Claim);
            claim.Parameters.Add(new() { Value = now - settings.LostJobAfter });
            claim.Parameters.Add(new() { Value = now + settings.RelayHorizon });
            claim.Parameters.Add(new() { Value = settings.RelayBatchSize });
            look.BatchCommands.Add(claim);
            look.BatchCommands.Add(NextDue(settings));
            await using var reader = await look.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(outbox.Read(reader));
            }

            await reader.NextResultAsync(cancellationToken);
            nextDue = await ReadNextDueAsync(reader, cancellationToken);
        }

        if (claimed.Count == 0)
        {
            return (0, nextDue);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var item in claimed)
        {
            // A crash after this and before the commit hands the row off again: the job runs twice, which every
            // job allows; the second finds its ticket retired and does nothing.
            var jobId = jobs.Create(item.Job, StateFor(item.DueAt, now, item.Job.Queue!));
            var mark = new NpgsqlBatchCommand(outbox.MarkHandedOff);
            foreach (var key in item.Key)
            {
                mark.Parameters.Add(new() { Value = key });
            }

            mark.Parameters.Add(new() { Value = jobId });
            mark.Parameters.Add(new() { Value = now });
            batch.BatchCommands.Add(mark);
        }

        // Read after the marks, so the rows just handed off count as handed off.
        batch.BatchCommands.Add(NextDue(settings));
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // Past the marks' results, which carry no rows, to the look's.
            while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
            {
            }

            nextDue = await ReadNextDueAsync(reader, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (claimed.Count, nextDue);
    }

    private NpgsqlBatchCommand NextDue(JobsOptions settings)
    {
        var command = new NpgsqlBatchCommand(outbox.NextDue);
        command.Parameters.Add(new() { Value = settings.RelayHorizon });
        command.Parameters.Add(new() { Value = settings.LostJobAfter });
        return command;
    }

    private static async Task<DateTimeOffset?> ReadNextDueAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? reader.GetFieldValue<DateTimeOffset>(0) : null;

    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = ListenAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A failed look is tried again after a second (a database blip), not in a loop and not at the poll.
            var until = JobsOptions.ListenRetryDelay;
            try
            {
                (int HandedOff, DateTimeOffset? NextDue) look;
                while ((look = await RelayBatchAsync(stoppingToken)).HandedOff == options.Value.RelayBatchSize)
                {
                }

                until = UntilNextLook(look.NextDue);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.RelayFailed(error, Channel);
            }

            try
            {
                await _wake.WaitAsync(until, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await listening;
    }

    /// <summary>
    /// Until the earliest row not yet handed off falls due (within the horizon) or a handed-off row's job would be
    /// presumed lost, or the fallback poll, whichever is sooner: a deadline is handed to the engine at its time, not
    /// at the next poll after it. A new row's commit wakes the relay sooner through its notification.
    /// </summary>
    private TimeSpan UntilNextLook(DateTimeOffset? due)
    {
        var settings = options.Value;
        if (due is null)
        {
            return settings.RelayPollInterval;
        }

        var until = due.Value - clock.GetUtcNow();
        // At least a millisecond: a row due this instant is claimed by the next look, not by a busy loop.
        return until < settings.RelayPollInterval ? TimeSpan.FromMilliseconds(Math.Max(1, until.TotalMilliseconds + 1)) : settings.RelayPollInterval;
    }

    /// <summary>
    /// Due now: straight onto the queue. Due later: a delayed job at the due time rounded up to the second,
    /// because the store keeps whole seconds and rounding down would start it early.
    /// </summary>
    private static IState StateFor(DateTimeOffset runAt, DateTimeOffset now, string queue)
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
    private Task ListenAsync(CancellationToken stoppingToken) => ListenLoop.RunAsync(
        sessions.OpenAsync,
        Channel,
        _ => Wake(),
        // Anything committed while we were not listening is found by this look.
        Wake,
        error => logger.RelayListenLost(error, Channel),
        JobsOptions.ListenRetryDelay,
        clock,
        stoppingToken);

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
