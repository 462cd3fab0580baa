using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Hands committed outbox rows to the job engine. It wakes on the notification a writer's commit delivers,
/// and looks anyway every <see cref="JobsOptions.RelayPollInterval"/> for what a crash between commit and
/// hand-off, or a lost notification, left behind. Every worker runs one; rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so two relays never hand off the same row at once.
/// </summary>
internal sealed class WorkRelay(
    NpgsqlDataSource dataSource,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<WorkRelay> logger) : BackgroundService
{
    private const int BatchSize = 100; // the LIMIT in Claim

    // Rows never handed off that fall due within the horizon, and rows whose job should have finished long ago
    // (deleted, or failed on an unexpected error: the engine retries nothing itself). Rows due later (an
    // auto-termination an hour away) stay ours until then, so the engine holds only near work.
    private const string Claim = $"""
        SELECT instance_id, kind, run_at, ticket FROM {WorkOutbox.Table}
         WHERE (job_id IS NULL AND run_at < $2) OR greatest(run_at, handed_off_at) < $1
         ORDER BY run_at
         LIMIT 100
           FOR UPDATE SKIP LOCKED
        """;

    private const string MarkHandedOff = $"UPDATE {WorkOutbox.Table} SET job_id = $3, handed_off_at = $4 WHERE instance_id = $1 AND kind = $2";

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
                logger.LogWarning(error, "Outbox relay failed; trying again");
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

    /// <summary>Hands off one batch.</summary>
    /// <returns>How many rows it handed off.</returns>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var claimed = new List<(Guid InstanceId, InstanceWorkKind Kind, DateTimeOffset RunAt, Guid Ticket)>();
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.Add(new() { Value = now - options.Value.LostJobAfter, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            claim.Parameters.Add(new() { Value = now + options.Value.RelayHorizon, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetGuid(0), Enum.Parse<InstanceWorkKind>(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetGuid(3)));
            }
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var item in claimed)
        {
            // A crash after this and before the commit hands the row off again: the job runs twice, which every
            // step allows; the second finds its ticket retired and does nothing.
            var jobId = jobs.Create(InstanceJobFactory.For(item.Kind, item.InstanceId, item.Ticket), StateFor(item.RunAt, now));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(MarkHandedOff)
            {
                Parameters =
                {
                    new() { Value = item.InstanceId, NpgsqlDbType = NpgsqlDbType.Uuid },
                    new() { Value = item.Kind.ToString() },
                    new() { Value = jobId },
                    new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }

    /// <summary>
    /// Due now: straight onto the queue. Due later: a delayed job at the due time rounded up to the second,
    /// because the store keeps whole seconds and rounding down would start it early.
    /// </summary>
    private static IState StateFor(DateTimeOffset runAt, DateTimeOffset now)
    {
        if (runAt <= now)
        {
            return new EnqueuedState(JobQueues.Lifecycle);
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
                await using (var listen = new NpgsqlCommand($"LISTEN {WorkOutbox.Channel}", connection))
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
                logger.LogWarning(error, "Outbox relay lost its LISTEN connection; reconnecting");
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
