using Npgsql;
using Provisioner.Hosting.Connections;

namespace Provisioner.Api.Hosting;

/// <summary>
/// The API's pool of PostgreSQL connections, tuned for what it sends: the same few short statements (a read by key,
/// the key check, the create's transaction) many times a second. Measured on GET /api/instances/{id} (bench/perf,
/// docs/benchmarks.md): PostgreSQL's CPU per request fell from about 320 µs to 85 µs, below the bare Npgsql app's.
/// </summary>
internal static class ApiConnections
{
    public static void Tune(NpgsqlConnectionStringBuilder connections)
    {
        // Npgsql keeps an instance read's row description (~50 columns) instead of reading it on every read.
        PreparedStatements.PrepareUnlessSet(connections);

        // A connection going back to the pool is otherwise reset (DISCARD ALL, or with prepared statements a string
        // of seven: RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all() ...) before its next use: with
        // prepared statements that reset cost PostgreSQL more than the read itself. The API leaves nothing on a
        // session to reset: no SET, no LISTEN, no session advisory lock (its locks are transaction-scoped, released
        // at commit), no temporary table; a transaction left open is still rolled back when the connection closes.
        // The workers keep the reset: they LISTEN and take session advisory locks on pooled connections.
        if (!ConnectionStringKeywords.IsSet(connections, "No Reset On Close"))
        {
            connections.NoResetOnClose = true;
        }
    }
}
