using Npgsql;

namespace Provisioner.Hosting.Connections;

/// <summary>What an operator's connection string said for itself, so a process's own tuning never overrides it.</summary>
public static class ConnectionStringKeywords
{
    /// <summary>Whether the connection string itself set <paramref name="keyword"/> (by any of its spellings).</summary>
    // Npgsql's ContainsKey answers true for every keyword it knows; Keys holds only those the string set (by their
    // canonical names, whatever spelling the string used).
#pragma warning disable CA1841
    public static bool IsSet(NpgsqlConnectionStringBuilder connections, string keyword) => connections.Keys.Contains(keyword);
#pragma warning restore CA1841
}
