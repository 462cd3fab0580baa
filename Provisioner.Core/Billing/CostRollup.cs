using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Provisioner.Core.Billing;

/// <summary>
/// Folds what instances cost into hourly and daily buckets, incrementally: each instance is folded from where the
/// last run left it (its mark) up to now, or up to the end of its billing, after which it is settled and never read
/// again. So a run reads only instances still billing or newly ended, never history. An instance's cost as of an
/// instant t is <see cref="BillingRule.Charge"/> over its billed time; a bucket gets the rise of that figure within
/// its hour, so the buckets of an instance always add up to exactly its cost. Each batch writes its buckets and its
/// marks in one transaction: a run cut short, or run twice, counts nothing twice.
/// </summary>
public sealed class CostRollup(
    NpgsqlDataSource dataSource,
    IOptions<CostRollupOptions> options,
    TimeProvider clock,
    ILogger<CostRollup> logger)
{
    private const string Pending = $"""
        SELECT i.id, i.owner, i.user_id, i.provider, i.instance_type, i.region, i.launched_at, i.cost_per_hour,
               i.billing_increment_seconds, i.billing_minimum_seconds, {BillingSql.BillingEnd} AS billing_end,
               m.rolled_until, m.rolled_cost, i.earlier_machines_cost
          FROM provisioner.instances i
          LEFT JOIN provisioner.cost_rollup_marks m ON m.instance_id = i.id
         WHERE (i.launched_at IS NOT NULL OR i.earlier_machines_cost > 0) AND NOT i.cost_settled AND i.id > $1
         ORDER BY i.id
         LIMIT $2
        """;

    private const string AddToBuckets = """
        INSERT INTO provisioner.cost_rollups AS b (granularity, bucket_start, owner, user_id, provider, instance_type, region, cost, updated_at)
        SELECT g, s, o, u, p, t, r, c, $9
          FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[]) AS x(g, s, o, u, p, t, r, c)
        ON CONFLICT ON CONSTRAINT pk_cost_rollups DO UPDATE SET cost = b.cost + excluded.cost, updated_at = excluded.updated_at
        """;

    private const string MoveMarks = """
        INSERT INTO provisioner.cost_rollup_marks AS m (instance_id, rolled_until, rolled_cost)
        SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::numeric[])
        ON CONFLICT ON CONSTRAINT pk_cost_rollup_marks DO UPDATE SET rolled_until = excluded.rolled_until, rolled_cost = excluded.rolled_cost
        """;

    private const string Settle = """
        DELETE FROM provisioner.cost_rollup_marks WHERE instance_id = ANY($1);
        """;

    private const string MarkSettled = "UPDATE provisioner.instances SET cost_settled = true WHERE id = ANY($1)";

    private const string RecordRun = """
        INSERT INTO provisioner.cost_rollup_runs (started_at, folded_until, finished_at, instances_folded, instances_settled, buckets_written)
        VALUES ($1, $2, $3, $4, $5, $6)
        """;

    /// <summary>Folds every instance up to now.</summary>
    public async Task<CostRollupRun> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        // Whole microseconds, as the database keeps them, so a mark read back equals the instant it was folded to.
        var now = new DateTimeOffset(startedAt.UtcTicks - (startedAt.UtcTicks % 10), TimeSpan.Zero);
        var run = new CostRollupRun(startedAt, now);
        var after = Guid.Empty;
        while (true)
        {
            var batch = await FoldBatchAsync(after, now, run, cancellationToken);
            if (batch is not { } last)
            {
                break;
            }

            after = last;
        }

        run.FinishedAt = clock.GetUtcNow();
        await using (var record = dataSource.CreateCommand(RecordRun))
        {
            record.Parameters.Add(new() { Value = run.StartedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            record.Parameters.Add(new() { Value = run.FoldedUntil, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            record.Parameters.Add(new() { Value = run.FinishedAt.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            record.Parameters.Add(new() { Value = run.InstancesFolded });
            record.Parameters.Add(new() { Value = run.InstancesSettled });
            record.Parameters.Add(new() { Value = run.BucketsWritten });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        logger.RollupDone(run.FoldedUntil, run.InstancesFolded, run.InstancesSettled, run.BucketsWritten);
        return run;
    }

    /// <returns>The last instance id of the batch, or null when there was nothing left.</returns>
    private async Task<Guid?> FoldBatchAsync(Guid after, DateTimeOffset now, CostRollupRun run, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<RollupRow>();
        await using (var read = new NpgsqlCommand(Pending, connection, transaction))
        {
            read.Parameters.Add(new() { Value = after, NpgsqlDbType = NpgsqlDbType.Uuid });
            read.Parameters.Add(new() { Value = options.Value.BatchSize });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new RollupRow(
                    reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    // Relaunched and not launched again (yet, or ever): only the earlier machines' bill, which the curve holds.
                    reader.IsDBNull(6) ? DateTimeOffset.MaxValue : reader.GetFieldValue<DateTimeOffset>(6), reader.GetDecimal(7),
                    new BillingRule(reader.GetInt32(8), reader.GetInt32(9), BillingStop.Released),
                    reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                    reader.IsDBNull(12) ? null : reader.GetDecimal(12),
                    reader.GetDecimal(13)));
            }
        }

        if (rows.Count == 0)
        {
            return null;
        }

        var buckets = new Dictionary<BucketKey, decimal>();
        var marks = new List<(Guid Id, DateTimeOffset Until, decimal Cost)>();
        var settled = new List<Guid>();
        foreach (var row in rows)
        {
            var (until, cost) = CostFold.Fold(row.Curve, row.RolledUntil, row.RolledCost, row.BillingEnd, now,
                (hour, delta) => Add(buckets, row, hour, delta));
            if (row.BillingEnd is { } end && end <= now)
            {
                settled.Add(row.Id);
            }
            else
            {
                marks.Add((row.Id, until, cost));
            }
        }

        await using var write = new NpgsqlBatch(connection, transaction);
        if (buckets.Count > 0)
        {
            var keys = buckets.Keys.ToArray();
            write.BatchCommands.Add(new NpgsqlBatchCommand(AddToBuckets)
            {
                Parameters =
                {
                    new() { Value = keys.Select(k => k.Granularity).ToArray() },
                    new() { Value = keys.Select(k => k.Start).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                    new() { Value = keys.Select(k => k.Owner).ToArray() },
                    new() { Value = keys.Select(k => k.UserId).ToArray() },
                    new() { Value = keys.Select(k => k.Provider).ToArray() },
                    new() { Value = keys.Select(k => k.InstanceType).ToArray() },
                    new() { Value = keys.Select(k => k.Region).ToArray() },
                    new() { Value = keys.Select(k => buckets[k]).ToArray() },
                    new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            });
        }

        if (marks.Count > 0)
        {
            write.BatchCommands.Add(new NpgsqlBatchCommand(MoveMarks)
            {
                Parameters =
                {
                    new() { Value = marks.Select(m => m.Id).ToArray() },
                    new() { Value = marks.Select(m => m.Until).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                    new() { Value = marks.Select(m => m.Cost).ToArray() },
                },
            });
        }

        if (settled.Count > 0)
        {
            var ids = settled.ToArray();
            write.BatchCommands.Add(new NpgsqlBatchCommand(Settle) { Parameters = { new() { Value = ids } } });
            write.BatchCommands.Add(new NpgsqlBatchCommand(MarkSettled) { Parameters = { new() { Value = ids } } });
        }

        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        run.InstancesFolded += rows.Count;
        run.InstancesSettled += settled.Count;
        run.BucketsWritten += buckets.Count;
        return rows[^1].Id;
    }

    private static void Add(Dictionary<BucketKey, decimal> buckets, RollupRow row, DateTimeOffset hour, decimal delta)
    {
        if (delta == 0m)
        {
            return;
        }

        var day = new DateTimeOffset(hour.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var key in new[]
        {
            new BucketKey("HOUR", hour, row.Owner, row.UserId, row.Provider, row.InstanceType, row.Region),
            new BucketKey("DAY", day, row.Owner, row.UserId, row.Provider, row.InstanceType, row.Region),
        })
        {
            buckets[key] = buckets.GetValueOrDefault(key) + delta;
        }
    }

    private sealed record RollupRow(
        Guid Id, string Owner, string UserId, string Provider, string InstanceType, string Region,
        DateTimeOffset LaunchedAt, decimal PricePerHour, BillingRule Rule, DateTimeOffset? BillingEnd,
        DateTimeOffset? RolledUntil, decimal? RolledCost, decimal EarlierMachinesCost)
    {
        // A relaunched instance's curve starts at what its earlier machines cost: the buckets add up to the whole bill.
        public CostCurve Curve => new(LaunchedAt, PricePerHour, Rule, EarlierMachinesCost);
    }

    private readonly record struct BucketKey(string Granularity, DateTimeOffset Start, string Owner, string UserId, string Provider, string InstanceType, string Region);
}
