using Npgsql;

namespace Provisioner.Hosting.Connections;

/// <summary>
/// A pool whose users leave nothing on a session: no <c>SET</c>, no <c>LISTEN</c>, no session advisory lock, no
/// temporary table (transaction-scoped locks and <c>SET LOCAL</c> end at commit; a transaction left open is still
/// rolled back when its connection closes). Its statements are prepared and a returned connection is not reset,
/// unless the operator's connection string says otherwise. The API's pool and the workers' steps' pool are such
/// pools; a worker's LISTEN and session locks go through a pool of their own that keeps the reset
/// (<c>SessionConnections</c>).
/// </summary>
/// <remarks>
/// Why skip the reset: Npgsql resets a connection before its next use (DISCARD ALL, or with prepared statements a
/// batch of seven: SET SESSION AUTHORIZATION DEFAULT, RESET ALL, CLOSE ALL, UNLISTEN *, pg_advisory_unlock_all() ...),
/// which cost PostgreSQL more than the API's read itself, and in the workers made up 117 of the 268 statements of one
/// lifecycle (bench/jobs/cost.sh, docs/benchmarks.md).
/// </remarks>
public static class StatelessConnections
{
    public static void Tune(NpgsqlConnectionStringBuilder connections)
    {
        PreparedStatements.PrepareUnlessSet(connections);
        if (!ConnectionStringKeywords.IsSet(connections, "No Reset On Close"))
        {
            connections.NoResetOnClose = true;
        }
    }
}
