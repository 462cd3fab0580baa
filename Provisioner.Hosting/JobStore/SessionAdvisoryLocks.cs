using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Provisioner.Hosting.JobStore;

/// <summary>
/// The distributed locks one job store connection holds, as PostgreSQL session advisory locks on one pooled connection
/// of the store's (the session), kept out of the pool while it holds any. Taking a free lock is one round trip
/// (<c>pg_try_advisory_lock</c>); a held one is waited for in PostgreSQL (<c>pg_advisory_lock</c> under
/// <c>lock_timeout</c>), so the waiter gets it the moment it is released. Releasing the last lock is one round trip
/// (<c>pg_advisory_unlock_all</c>), and the session goes back to the pool holding nothing.
/// </summary>
/// <remarks>
/// Re-entrant per job store connection, as Hangfire.PostgreSql's own lock is: a resource this connection already holds
/// is counted, not locked again, and released with its last holder. Two job store connections exclude each other, in
/// one process or in two. A holder killed with its process loses its locks when PostgreSQL sees its connection drop.
/// Keys are (<see cref="LockSpace"/>, <c>hashtext(resource)</c>), the two-key form, so they never meet the one-key
/// locks taken elsewhere (the recurring passes, migrations, the simulated cloud); two resources whose hashes collide
/// share a lock, which costs a wait, never a correctness.
/// </remarks>
internal sealed class SessionAdvisoryLocks(IConnectionFactory connections, TimeSpan maxWait, ILogger logger) : IDisposable
{
    /// <summary>The first key of every job store lock ("Hang" in ASCII), which tells them apart in <c>pg_locks</c>.</summary>
    public const int LockSpace = 0x48616E67;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private NpgsqlConnection? _session;

    /// <summary>
    /// Takes <paramref name="resource"/>, waiting for another holder at most the shorter of <paramref name="timeout"/>
    /// and the store's maximum wait, then throws <see cref="DistributedLockTimeoutException"/> (what Hangfire's callers
    /// expect: its schedulers skip their pass, a worker retries its state change).
    /// </summary>
    public IDisposable Acquire(string resource, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_held.TryGetValue(resource, out var count))
            {
                _held[resource] = count + 1;
                return new Handle(this, resource);
            }

            var session = _session ??= Open();
            try
            {
                Take(session, resource, timeout < maxWait ? timeout : maxWait);
            }
            catch
            {
                if (_held.Count == 0)
                {
                    EndSession(resource);
                }

                throw;
            }

            _held[resource] = 1;
            return new Handle(this, resource);
        }
    }

    /// <summary>Releases whatever is still held (the job store connection is done), and returns the session.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _held.Clear();
            if (_session is not null)
            {
                EndSession(resource: "(all)");
            }
        }
    }

    private NpgsqlConnection Open()
    {
        var connection = connections.GetOrCreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Take(NpgsqlConnection session, string resource, TimeSpan wait)
    {
        using (var tryLock = Command(session, "SELECT pg_try_advisory_lock($1, hashtext($2))", resource))
        {
            if (tryLock.ExecuteScalar() is true)
            {
                return;
            }
        }

        if (wait <= TimeSpan.Zero)
        {
            throw new DistributedLockTimeoutException(resource);
        }

        // Held elsewhere: wait in PostgreSQL, which grants the lock the moment its holder lets go. lock_timeout is
        // set for this wait only (session-wide, there being no transaction), and reset in the same round trip.
        var milliseconds = (long)Math.Ceiling(wait.TotalMilliseconds);
        using var waitForLock = new NpgsqlBatch(session)
        {
            // The wait is bounded by lock_timeout; the command's own timeout only guards against a silent network.
            Timeout = (int)Math.Min(int.MaxValue, (milliseconds / 1000) + 30),
        };
        waitForLock.BatchCommands.Add(new NpgsqlBatchCommand($"SET lock_timeout = {milliseconds}"));
        var take = new NpgsqlBatchCommand("SELECT pg_advisory_lock($1, hashtext($2))");
        take.Parameters.Add(new NpgsqlParameter { Value = LockSpace });
        take.Parameters.Add(new NpgsqlParameter { Value = resource });
        waitForLock.BatchCommands.Add(take);
        waitForLock.BatchCommands.Add(new NpgsqlBatchCommand("RESET lock_timeout"));
        try
        {
            waitForLock.ExecuteNonQuery();
        }
        catch (PostgresException error)
        {
            // The batch stopped before its RESET (a timeout, or another refusal such as a detected deadlock) on a
            // session that lives on: reset it here, or the pooled connection would carry the timeout to its next user.
            ResetLockTimeout(session);
            if (error.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new DistributedLockTimeoutException(resource);
            }

            throw;
        }
    }

    private static void ResetLockTimeout(NpgsqlConnection session)
    {
        using var reset = new NpgsqlCommand("RESET lock_timeout", session);
        reset.ExecuteNonQuery();
    }

    private void Release(string resource)
    {
        lock (_gate)
        {
            if (!_held.TryGetValue(resource, out var count))
            {
                return;
            }

            if (count > 1)
            {
                _held[resource] = count - 1;
                return;
            }

            _held.Remove(resource);
            if (_held.Count == 0)
            {
                EndSession(resource);
                return;
            }

            try
            {
                using var unlock = Command(_session!, "SELECT pg_advisory_unlock($1, hashtext($2))", resource);
                if (unlock.ExecuteScalar() is not true)
                {
                    logger.LockNotHeld(resource);
                }
            }
            catch (Exception error)
            {
                // The other locks of this session are lost with it, as they would be with a dropped connection;
                // their holders' state changes are idempotent under Hangfire's expected-state check.
                logger.LockReleaseFailed(error, resource);
                Discard();
            }
        }
    }

    /// <summary>
    /// Releases every lock of the session and returns it to the pool. Should that fail on a connection still open,
    /// the pool is cleared, so the session is closed instead of reused with a lock it may still hold.
    /// </summary>
    private void EndSession(string resource)
    {
        var session = _session!;
        try
        {
            if (session.State == System.Data.ConnectionState.Open)
            {
                using var unlockAll = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", session);
                unlockAll.ExecuteNonQuery();
            }

            _session = null;
            session.Dispose();
        }
        catch (Exception error)
        {
            logger.LockReleaseFailed(error, resource);
            Discard();
        }
    }

    private void Discard()
    {
        var session = _session!;
        _session = null;
        _held.Clear();
        if (session.State != System.Data.ConnectionState.Closed)
        {
            NpgsqlConnection.ClearPool(session);
        }

        session.Dispose();
    }

    private static NpgsqlCommand Command(NpgsqlConnection session, string sql, string resource) => new(sql, session)
    {
        Parameters = { new NpgsqlParameter { Value = LockSpace }, new NpgsqlParameter { Value = resource } },
    };

    private sealed class Handle(SessionAdvisoryLocks locks, string resource) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                locks.Release(resource);
            }
        }
    }
}
