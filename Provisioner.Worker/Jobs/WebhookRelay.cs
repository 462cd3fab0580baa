using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Jobs;
using Provisioner.Core.Webhooks;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Hands pending webhook deliveries to the webhooks queue when they fall due: new ones at once (the transition's
/// commit wakes it), retries at their backoff time. Each hand-off gives the delivery a new ticket for its job.
/// </summary>
internal sealed class WebhookRelay(
    NpgsqlDataSource dataSource,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<WebhookRelay> logger) : OutboxRelay(dataSource, options, clock, logger)
{
    // Pending deliveries due within the horizon and not handed off, and handed-off ones whose job should long be
    // done (its worker died mid-attempt): the same two questions the work relay asks.
    private const string Claim = """
        SELECT id, next_attempt_at FROM provisioner.webhook_deliveries
         WHERE status = 'PENDING' AND ((job_id IS NULL AND next_attempt_at < $2) OR greatest(next_attempt_at, handed_off_at) < $1)
         ORDER BY next_attempt_at
         LIMIT 100
           FOR UPDATE SKIP LOCKED
        """;

    private const string MarkHandedOff = "UPDATE provisioner.webhook_deliveries SET ticket = $2, job_id = $3, handed_off_at = $4 WHERE id = $1";

    protected override string Channel => WebhookOutbox.Channel;

    public override async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        var claimed = new List<(Guid Id, DateTimeOffset DueAt)>();
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.Add(new() { Value = now - Settings.LostJobAfter, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            claim.Parameters.Add(new() { Value = now + Settings.RelayHorizon, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (id, dueAt) in claimed)
        {
            var ticket = Guid.NewGuid();
            var job = Job.FromExpression<IWebhookJobs>(j => j.Deliver(id, ticket, CancellationToken.None), JobQueues.Webhooks);
            var jobId = jobs.Create(job, StateFor(dueAt, now, JobQueues.Webhooks));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(MarkHandedOff)
            {
                Parameters =
                {
                    new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid },
                    new() { Value = ticket, NpgsqlDbType = NpgsqlDbType.Uuid },
                    new() { Value = jobId },
                    new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }
}
