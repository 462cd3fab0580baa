using Npgsql;

namespace Provisioner.Core.ApiBudgets;

/// <summary>
/// A token bucket kept in a PostgreSQL row, so every process that calls one cloud account draws on one budget (a
/// limiter in each process's memory would allow N processes N times the account's rate). A call takes its token in one
/// short transaction: the row is locked by an upsert, refilled for the time since it was last written, and a token
/// taken (<see cref="TokenBucketRule"/>). A call may take a token that refills within <c>maxWait</c> (the bucket goes
/// negative: later calls queue behind it, first come first served), so a burst is spread at the refill rate instead of
/// being refused and retried.
/// </summary>
/// <remarks>
/// The time of a draw is read once the row is locked, not before: calls then draw in the order of their times, and
/// a call that queued for the lock behind a burst is not counted as if it had been sent when it started queueing (its
/// wait, measured from a time already past, would send it early). The refill counts time from each caller's
/// <see cref="TimeProvider"/>; processes on different machines need clocks kept in step (NTP). A caller whose clock
/// lags never refills the bucket backwards: elapsed time is at least zero and the row's time only moves forward.
/// </remarks>
public static class SharedTokenBucket
{
    /// <param name="table">One of our bucket tables (a constant): columns account, region, action, tokens, updated_at, taken, refused.</param>
    /// <param name="refillLag">How much later than a call from a full bucket the refill starts (<see cref="TokenBucketRule.Take"/>).</param>
    public static async Task<ApiBucketAnswer> TakeAsync(
        NpgsqlDataSource dataSource, string table, string account, string region, string action, ApiLimit limit,
        TimeProvider clock, TimeSpan maxWait, TimeSpan refillLag, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await LockAsync(connection, transaction, table, account, region, action, limit, clock.GetUtcNow(), cancellationToken);
        var draw = TokenBucketRule.Take(state, limit, clock.GetUtcNow(), maxWait, refillLag);
        await WriteAsync(connection, transaction, table, account, region, action, draw.After, draw.Answer.Taken ? 1 : 0, draw.Answer.Taken ? 0 : 1,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return draw.Answer;
    }

    /// <summary>
    /// The cloud answered "throttled" although the bucket let the call through: no token is left now, for every
    /// process at once instead of each meeting the refusal (<see cref="TokenBucketRule.CloudRefused"/>).
    /// </summary>
    public static async Task CloudRefusedAsync(
        NpgsqlDataSource dataSource, string table, string account, string region, string action, ApiLimit limit,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await LockAsync(connection, transaction, table, account, region, action, limit, clock.GetUtcNow(), cancellationToken);
        var after = TokenBucketRule.CloudRefused(state, limit, clock.GetUtcNow());
        await WriteAsync(connection, transaction, table, account, region, action, after, 0, 0, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Locks the bucket's row, creating it full at <paramref name="now"/> when it is new.</summary>
    private static async Task<TokenBucketRule.State> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string account, string region, string action, ApiLimit limit,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var upsert = new NpgsqlCommand($"""
            INSERT INTO {table} (account, region, action, tokens, updated_at, taken, refused) VALUES ($1, $2, $3, $4, $5, 0, 0)
            ON CONFLICT (account, region, action) DO UPDATE SET account = excluded.account
            RETURNING tokens, updated_at
            """, connection, transaction);
        upsert.Parameters.Add(new() { Value = account });
        upsert.Parameters.Add(new() { Value = region });
        upsert.Parameters.Add(new() { Value = action });
        upsert.Parameters.Add(new() { Value = (double)limit.Capacity });
        upsert.Parameters.Add(new() { Value = now });
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TokenBucketRule.State(reader.GetDouble(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string account, string region, string action,
        TokenBucketRule.State state, long taken, long refused, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand($"""
            UPDATE {table} SET tokens = $4, updated_at = $5, taken = taken + $6, refused = refused + $7
            WHERE account = $1 AND region = $2 AND action = $3
            """, connection, transaction);
        update.Parameters.Add(new() { Value = account });
        update.Parameters.Add(new() { Value = region });
        update.Parameters.Add(new() { Value = action });
        update.Parameters.Add(new() { Value = state.Tokens });
        update.Parameters.Add(new() { Value = state.RefillFrom });
        update.Parameters.Add(new() { Value = taken });
        update.Parameters.Add(new() { Value = refused });
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
