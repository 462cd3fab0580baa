using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>Hands instance work (rows of <c>pending_work</c>) to the lifecycle queue.</summary>
internal sealed class WorkRelay(
    NpgsqlDataSource dataSource,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<WorkRelay> logger) : OutboxRelay(dataSource, options, clock, logger)
{
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

    protected override string Channel => WorkOutbox.Channel;

    public override async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Clock.GetUtcNow();
        var claimed = new List<(Guid InstanceId, InstanceWorkKind Kind, DateTimeOffset RunAt, Guid Ticket)>();
        await using (var claim = new NpgsqlCommand(Claim, connection, transaction))
        {
            claim.Parameters.Add(new() { Value = now - Settings.LostJobAfter, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            claim.Parameters.Add(new() { Value = now + Settings.RelayHorizon, NpgsqlDbType = NpgsqlDbType.TimestampTz });
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
            var jobId = jobs.Create(InstanceJobFactory.For(item.Kind, item.InstanceId, item.Ticket), StateFor(item.RunAt, now, JobQueues.Lifecycle));
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

}
