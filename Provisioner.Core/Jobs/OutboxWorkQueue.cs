using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Instances;
using Provisioner.Core.Telemetry;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Schedules work as rows of the outbox, written on the caller's own transaction, plus a notification that
/// PostgreSQL delivers on commit. No job-engine call happens here: a record and its work commit together in
/// one local transaction, with no distributed transaction to escalate to, and the relay in the workers hands
/// the rows to the engine once they are visible.
/// </summary>
internal sealed class OutboxWorkQueue(TimeProvider clock) : IInstanceWorkQueue
{
    // A new ticket on every scheduling: a job made for the previous one finds itself stale and does nothing.
    private const string Upsert = $"""
        INSERT INTO {WorkOutbox.Table} (instance_id, kind, run_at, ticket, attempt, job_id, handed_off_at, updated_at, trace_parent, correlation_id)
        VALUES ($1, $2, $3, $4, 0, NULL, NULL, $5, $6, $7)
        ON CONFLICT (instance_id, kind) DO UPDATE
           SET run_at = excluded.run_at, ticket = excluded.ticket, attempt = 0,
               job_id = NULL, handed_off_at = NULL, updated_at = excluded.updated_at,
               trace_parent = excluded.trace_parent, correlation_id = excluded.correlation_id
        """;

    public async Task ScheduleAndCommitAsync(DbTransaction transaction, IReadOnlyCollection<InstanceWork> work, CancellationToken cancellationToken)
    {
        if (work.Count > 0)
        {
            var npgsqlTransaction = (NpgsqlTransaction)transaction;
            await using var batch = new NpgsqlBatch(npgsqlTransaction.Connection, npgsqlTransaction);
            var now = clock.GetUtcNow();
            // Whoever schedules (a request, a step) hands its trace and correlation on to the job (WorkTrace).
            var traceParent = WorkTrace.CurrentTraceParent;
            var correlationId = Correlation.Current;
            foreach (var item in work)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(Upsert)
                {
                    Parameters =
                    {
                        new() { Value = item.InstanceId, NpgsqlDbType = NpgsqlDbType.Uuid },
                        new() { Value = item.Kind.ToString() },
                        new() { Value = item.RunAt, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                        new() { Value = Guid.NewGuid(), NpgsqlDbType = NpgsqlDbType.Uuid },
                        new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                        new() { Value = (object?)traceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar },
                        new() { Value = (object?)correlationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar },
                    },
                });
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_notify('{WorkOutbox.Channel}', '')"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task WithdrawAsync(DbTransaction transaction, Guid instanceId, IReadOnlyCollection<InstanceWorkKind> kinds, CancellationToken cancellationToken)
    {
        var npgsqlTransaction = (NpgsqlTransaction)transaction;
        await using var command = new NpgsqlCommand($"DELETE FROM {WorkOutbox.Table} WHERE instance_id = $1 AND kind = ANY($2)", npgsqlTransaction.Connection, npgsqlTransaction);
        command.Parameters.Add(new() { Value = instanceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = kinds.Select(k => k.ToString()).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
