using Npgsql;

namespace Provisioner.Hosting.Connections;

/// <summary>
/// Npgsql's automatic preparation on a pool whose connections send the same few statements over and over: prepared
/// once per physical connection, a statement is no longer parsed and planned by PostgreSQL on every execution, and
/// Npgsql keeps its row description instead of reading it again. Measured on the API's read (PostgreSQL's CPU per
/// GET about 320 → 85 µs) and on the workers' and the job store's calls (bench/jobs/cost.sh, docs/benchmarks.md).
/// A prepared statement whose result columns change fails ("cached plan must not change result type") until its
/// connection is closed: a top-level <c>SELECT *</c> over a table that a migration widens would, on a process still
/// running during the roll. Ours name their columns (EF Core wraps its two <c>FromSql("SELECT * ...")</c> reads in a
/// query that names them), so migrations that add columns leave them valid.
/// </summary>
public static class PreparedStatements
{
    /// <summary>Statements kept prepared per connection (the least used ones are replaced), unless the connection string sets it.</summary>
    public const int MaxAutoPrepare = 32;

    /// <summary>
    /// Turns automatic preparation on unless the connection string chose for itself: behind a transaction-mode pooler
    /// that does not carry prepared statements across server connections (PgBouncer before 1.21, or with
    /// <c>max_prepared_statements = 0</c>) the string sets <c>Max Auto Prepare=0</c>.
    /// </summary>
    public static void PrepareUnlessSet(NpgsqlConnectionStringBuilder connections)
    {
        if (!ConnectionStringKeywords.IsSet(connections, "Max Auto Prepare"))
        {
            connections.MaxAutoPrepare = MaxAutoPrepare;
        }
    }
}
