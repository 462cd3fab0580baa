using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Budgets;

namespace Provisioner.Core.Retention;

/// <summary>
/// Moves finished instances out of the live tables once they ended more than <see cref="RetentionOptions.FinishedInstanceDays"/>
/// ago: each becomes one row of <c>archived_instances</c> holding it and everything keyed by it, and its live rows are
/// deleted (the foreign keys cascade to events, launch attempts, webhook deliveries and their attempts, idempotency keys).
/// Archived rather than deleted because "what happened to instance X" must stay answerable after the live tables forget it;
/// one JSON document per instance rather than mirror tables, so the archive never needs a migration of its own.
/// The cost rollups are not keyed by instance and are never touched, so every rollup-based report reads the same
/// totals before and after. An instance is taken only when nothing can still change it or need it: terminal, its
/// cost folded for good by the rollup (<c>cost_settled</c>, or never launched), no outbox work and no webhook delivery
/// still pending, and not created in the current month (the budgets sum this month's instances from the instance
/// rows, and a month is longer than 30 days). Each batch is one transaction that locks its rows with SKIP LOCKED, so a run cut short leaves whole
/// instances on either side, and two runs at once (or a run and an API write) never take the same instance twice.
/// </summary>
public sealed class InstanceRetention(
    NpgsqlDataSource dataSource,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<InstanceRetention> logger)
{
    private const string ArchiveBatch = """
        WITH picked AS (
            SELECT i.id FROM provisioner.instances i
             WHERE i.status IN ('TERMINATED', 'FAILED') AND i.status_changed_at < $1 AND i.created_at < $4
               AND (i.launched_at IS NULL OR i.cost_settled)
               AND NOT EXISTS (SELECT 1 FROM provisioner.pending_work w WHERE w.instance_id = i.id)
               AND NOT EXISTS (SELECT 1 FROM provisioner.webhook_deliveries d WHERE d.instance_id = i.id AND d.status = 'PENDING')
             ORDER BY i.status_changed_at, i.id
             LIMIT $2
               FOR UPDATE OF i SKIP LOCKED),
        archived AS (
            INSERT INTO provisioner.archived_instances (id, owner, user_id, status, ended_at, archived_at, record)
            SELECT i.id, i.owner, i.user_id, i.status, i.status_changed_at, $3, jsonb_build_object(
                       'instance', to_jsonb(i),
                       'events', coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.id) FROM provisioner.instance_events e WHERE e.instance_id = i.id), '[]'),
                       'launchAttempts', coalesce((SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM provisioner.launch_attempts a WHERE a.instance_id = i.id), '[]'),
                       'webhookDeliveries', coalesce((SELECT jsonb_agg(to_jsonb(d) || jsonb_build_object('attempts',
                               coalesce((SELECT jsonb_agg(to_jsonb(t) ORDER BY t.id) FROM provisioner.webhook_attempts t WHERE t.delivery_id = d.id), '[]'))
                               ORDER BY d.created_at, d.id)
                           FROM provisioner.webhook_deliveries d WHERE d.instance_id = i.id), '[]'),
                       'idempotencyKeys', coalesce((SELECT jsonb_agg(to_jsonb(k) ORDER BY k.key) FROM provisioner.idempotency_keys k WHERE k.instance_id = i.id), '[]'))
              FROM provisioner.instances i JOIN picked p ON p.id = i.id
            ON CONFLICT ON CONSTRAINT pk_archived_instances DO NOTHING)
        DELETE FROM provisioner.instances i USING picked p WHERE i.id = p.id
        """;

    private const string RecordRun = """
        INSERT INTO provisioner.retention_runs (started_at, ended_before, finished_at, instances_archived, batches)
        VALUES ($1, $2, $3, $4, $5)
        """;

    /// <summary>Archives every due instance, batch after batch; returns null when retention is off.</summary>
    public async Task<RetentionRun?> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.RetentionOff();
            return null;
        }

        var startedAt = clock.GetUtcNow();
        var run = new RetentionRun(startedAt, startedAt.AddDays(-settings.FinishedInstanceDays));
        while (true)
        {
            var archived = await ArchiveBatchAsync(run.EndedBefore, settings.BatchSize, startedAt, cancellationToken);
            if (archived == 0)
            {
                break;
            }

            run.Batches++;
            run.InstancesArchived += archived;
            if (archived < settings.BatchSize)
            {
                break;
            }
        }

        run.FinishedAt = clock.GetUtcNow();
        await using (var record = dataSource.CreateCommand(RecordRun))
        {
            record.Parameters.Add(new() { Value = run.StartedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            record.Parameters.Add(new() { Value = run.EndedBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            record.Parameters.Add(new() { Value = run.FinishedAt.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            record.Parameters.Add(new() { Value = run.InstancesArchived });
            record.Parameters.Add(new() { Value = run.Batches });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        logger.RetentionDone(run.InstancesArchived, run.EndedBefore, run.Batches);
        return run;
    }

    /// <returns>How many instances this batch archived.</returns>
    private async Task<int> ArchiveBatchAsync(DateTimeOffset endedBefore, int batchSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var archive = new NpgsqlCommand(ArchiveBatch, connection, transaction);
        archive.Parameters.Add(new() { Value = endedBefore, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        archive.Parameters.Add(new() { Value = batchSize });
        archive.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        archive.Parameters.Add(new() { Value = BudgetMonth.StartOf(now), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var archived = await archive.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return archived;
    }
}
