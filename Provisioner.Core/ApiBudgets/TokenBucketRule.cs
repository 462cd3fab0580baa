namespace Provisioner.Core.ApiBudgets;

/// <summary>
/// The arithmetic of one draw on a token bucket, apart from where the bucket is kept (<see cref="SharedTokenBucket"/>
/// keeps it in a PostgreSQL row). The bucket refills continuously from <see cref="State.RefillFrom"/>, which may lie in
/// the future: a bucket whose refill is to start later counts no refill until then.
/// </summary>
public static class TokenBucketRule
{
    /// <param name="Tokens">Tokens at <paramref name="RefillFrom"/>; below zero, calls hold tokens that refill later.</param>
    /// <param name="RefillFrom">The time the refill is counted from (the row's <c>updated_at</c>).</param>
    public readonly record struct State(double Tokens, DateTimeOffset RefillFrom);

    /// <summary>The draw's answer and the bucket's state after it.</summary>
    public readonly record struct Draw(ApiBucketAnswer Answer, State After);

    /// <summary>
    /// Takes a token for a call at <paramref name="now"/>: one there now, or one that refills within
    /// <paramref name="maxWait"/> (the call holds it and waits; later calls queue behind it). A call that finds the
    /// bucket full starts its refill <paramref name="refillLag"/> later: the cloud's own bucket starts refilling when
    /// that call reaches it, after our commit, the call's way through the process and the network, and a bucket that
    /// counted from our side of that way would let each later call go that much early and meet an empty cloud bucket.
    /// </summary>
    public static Draw Take(State state, ApiLimit limit, DateTimeOffset now, TimeSpan maxWait, TimeSpan refillLag)
    {
        var available = Available(state, limit, now);
        var full = available >= limit.Capacity;
        // The time from which the tokens still missing refill: now, or later when the refill has not started yet.
        var refillFrom = Max(state.RefillFrom, full ? now + refillLag : now);
        var left = available - 1;
        var ready = left >= 0 ? TimeSpan.Zero : (refillFrom - now) + TimeSpan.FromSeconds(-left / limit.RefillPerSecond);
        if (ready <= maxWait)
        {
            return new Draw(new ApiBucketAnswer(true, ready), new State(left, refillFrom));
        }

        // Not taken: nothing changes but the refill counted so far; one token is there after the wait.
        var oneThere = (refillFrom - now) + TimeSpan.FromSeconds((1 - available) / limit.RefillPerSecond);
        return new Draw(new ApiBucketAnswer(false, oneThere), new State(available, refillFrom));
    }

    /// <summary>
    /// The cloud refused a call this bucket let through (another tool shares the account, a limit is set too high, or
    /// the cloud's refill started later than assumed): the cloud had no token at <paramref name="now"/>, so neither has
    /// this bucket. The refill earned up to now is kept (a queue of calls holding tokens keeps its places), and calls
    /// already holding tokens are not pushed back: the refused call draws again when it is retried, which sets the
    /// bucket one token behind the cloud's for every later call.
    /// </summary>
    public static State CloudRefused(State state, ApiLimit limit, DateTimeOffset now) =>
        new(Math.Min(0, Available(state, limit, now)), Max(state.RefillFrom, now));

    /// <summary>Tokens at <paramref name="now"/>: those at the refill's start plus what refilled since, never above capacity.</summary>
    private static double Available(State state, ApiLimit limit, DateTimeOffset now) =>
        Math.Min(limit.Capacity, state.Tokens + Math.Max(0, (now - state.RefillFrom).TotalSeconds) * limit.RefillPerSecond);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
