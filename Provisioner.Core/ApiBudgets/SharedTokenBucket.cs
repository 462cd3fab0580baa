using Npgsql;

namespace Provisioner.Core.ApiBudgets;

/// <summary>
/// A token bucket kept in a PostgreSQL row, so every process that calls one cloud account draws on one budget (a
/// limiter in each process's memory would allow N processes N times the account's rate). A call takes its token in one
/// short transaction: the row is locked by an upsert, refilled for the time since it was last written, and a token
/// taken. A call may take a token that refills within <c>maxWait</c> (the bucket goes negative: later calls queue
/// behind it, first come first served), so a burst is spread at the refill rate instead of being refused and retried.
/// </summary>
/// <remarks>
/// The refill counts time from each caller's <see cref="TimeProvider"/>; processes on different machines need clocks
/// kept in step (NTP). A caller whose clock lags never refills the bucket backwards: elapsed time is at least zero
/// and the row's time only moves forward.
/// </remarks>
public static class SharedTokenBucket
{
    /// <param name="table">One of our bucket tables (a constant): columns account, region, action, tokens, updated_at, taken, refused.</param>
    public static async Task<ApiBucketAnswer> TakeAsync(
        NpgsqlDataSource dataSource, string table, string account, string region, string action, ApiLimit limit,
        DateTimeOffset now, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        double tokens;
        DateTimeOffset updatedAt;
        await using (var upsert = new NpgsqlCommand($"""
            INSERT INTO {table} (account, region, action, tokens, updated_at, taken, refused) VALUES ($1, $2, $3, $4, $5, 0, 0)
            ON CONFLICT (account, region, action) DO UPDATE SET account = excluded.account
            RETURNING tokens, updated_at
            """, connection, transaction))
        {
            upsert.Parameters.Add(new() { Value = account });
            upsert.Parameters.Add(new() { Value = region });
            upsert.Parameters.Add(new() { Value = action });
            upsert.Parameters.Add(new() { Value = (double)limit.Capacity });
            upsert.Parameters.Add(new() { Value = now });
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            tokens = reader.GetDouble(0);
            updatedAt = reader.GetFieldValue<DateTimeOffset>(1);
        }

        var elapsed = Math.Max(0, (now - updatedAt).TotalSeconds);
        var available = Math.Min(limit.Capacity, tokens + elapsed * limit.RefillPerSecond);
        var taken = available - 1 >= -limit.RefillPerSecond * maxWait.TotalSeconds;
        var left = taken ? available - 1 : available;
        await using (var update = new NpgsqlCommand($"""
            UPDATE {table} SET tokens = $4, updated_at = greatest(updated_at, $5), taken = taken + $6, refused = refused + $7
            WHERE account = $1 AND region = $2 AND action = $3
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = account });
            update.Parameters.Add(new() { Value = region });
            update.Parameters.Add(new() { Value = action });
            update.Parameters.Add(new() { Value = left });
            update.Parameters.Add(new() { Value = now });
            update.Parameters.Add(new() { Value = taken ? 1L : 0L });
            update.Parameters.Add(new() { Value = taken ? 0L : 1L });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // Taken: wait until the token this call holds has refilled. Not taken: until one token is there.
        var wait = taken ? -left / limit.RefillPerSecond : (1 - available) / limit.RefillPerSecond;
        return new ApiBucketAnswer(taken, TimeSpan.FromSeconds(Math.Max(0, wait)));
    }

    /// <summary>
    /// The cloud answered "throttled" although the bucket had tokens (another tool shares the account, or the limit is
    /// set too high): empties the bucket, so every process slows down at once instead of each meeting the refusal.
    /// </summary>
    public static async Task DrainAsync(
        NpgsqlDataSource dataSource, string table, string account, string region, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE {table} SET tokens = least(tokens, 0), updated_at = greatest(updated_at, $4)
            WHERE account = $1 AND region = $2 AND action = $3
            """);
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = region });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
