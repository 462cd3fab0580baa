using Npgsql;

namespace Provisioner.Api.Hosting;

/// <summary>
/// The API's pool of PostgreSQL connections, tuned for what it sends: the same few short statements (a read by key,
/// the key check, the create's transaction) many times a second. Measured on GET /api/instances/{id} (bench/perf,
/// docs/benchmarks.md): PostgreSQL's CPU per request fell from about 320 µs to 85 µs, below the bare Npgsql app's.
/// </summary>
internal static class ApiConnections
{
    /// <summary>Statements kept prepared per connection (the least used ones are replaced), unless the connection string sets it.</summary>
    public const int MaxAutoPrepare = 32;

    public static void Tune(NpgsqlConnectionStringBuilder connections)
    {
        // Prepared once per connection, a statement is no longer parsed and planned on every execution, and Npgsql
        // keeps its row description instead of reading ~50 column descriptions per read of an instance.
        // Unless the connection string says otherwise: behind a transaction-mode pooler without support for prepared
        // statements (PgBouncer before 1.21, or without max_prepared_statements) set Max Auto Prepare=0.
        if (!IsSet(connections, "Max Auto Prepare"))
        {
            connections.MaxAutoPrepare = MaxAutoPrepare;
        }

        // A connection going back to the pool is otherwise reset (DISCARD ALL, or with prepared statements a string
        // of seven: RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all() ...) before its next use: with
        // prepared statements that reset cost PostgreSQL more than the read itself. The API leaves nothing on a
        // session to reset: no SET, no LISTEN, no session advisory lock (its locks are transaction-scoped, released
        // at commit), no temporary table; a transaction left open is still rolled back when the connection closes.
        // The workers keep the reset: they LISTEN and take session advisory locks on pooled connections.
        if (!IsSet(connections, "No Reset On Close"))
        {
            connections.NoResetOnClose = true;
        }
    }

    // Npgsql's ContainsKey answers true for every keyword it knows; Keys holds only those the string set (by their
    // canonical names, whatever spelling the string used).
#pragma warning disable CA1841
    private static bool IsSet(NpgsqlConnectionStringBuilder connections, string keyword) => connections.Keys.Contains(keyword);
#pragma warning restore CA1841
}
