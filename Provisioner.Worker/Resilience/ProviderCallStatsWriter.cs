using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Persistence;
using Provisioner.Worker.Jobs;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Adds this worker's drained counts to <c>provider_call_stats</c> and forgets rows older than a day. An upsert
/// that adds, not sets: a minute spans flushes, and a restarted worker with the same node name adds to its rows.
/// </summary>
internal sealed class ProviderCallStatsWriter(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IOptions<JobsOptions> jobs,
    TimeProvider clock)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    // One statement for any number of rows: the counts go in as arrays and unnest pairs them up again.
    private const string Upsert = """
        INSERT INTO provisioner.provider_call_stats
               (bucket_start, provider, region, outcome, node, calls, rate_limit_waits, rate_limit_wait_ms)
        SELECT b, p, r, o, @node, c, w, ms
          FROM unnest(@buckets, @providers, @regions, @outcomes, @calls, @waits, @wait_ms) AS t(b, p, r, o, c, w, ms)
        ON CONFLICT (bucket_start, provider, region, outcome, node) DO UPDATE
           SET calls = provider_call_stats.calls + excluded.calls,
               rate_limit_waits = provider_call_stats.rate_limit_waits + excluded.rate_limit_waits,
               rate_limit_wait_ms = provider_call_stats.rate_limit_wait_ms + excluded.rate_limit_wait_ms
        """;

    private const string Cleanup = "DELETE FROM provisioner.provider_call_stats WHERE bucket_start < @cutoff";

    private readonly string _node = JobEngineServices.NodeName(jobs.Value);

    public async Task WriteAsync(IReadOnlyList<ProviderCallCount> counts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (counts.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync(Upsert,
            [
                new NpgsqlParameter("node", _node),
                Array("buckets", NpgsqlDbType.TimestampTz, counts.Select(c => c.Bucket.Minute)),
                Array("providers", NpgsqlDbType.Text, counts.Select(c => c.Bucket.Provider)),
                Array("regions", NpgsqlDbType.Text, counts.Select(c => c.Bucket.Region)),
                Array("outcomes", NpgsqlDbType.Text, counts.Select(c => c.Bucket.Outcome)),
                Array("calls", NpgsqlDbType.Bigint, counts.Select(c => c.Calls)),
                Array("waits", NpgsqlDbType.Bigint, counts.Select(c => c.RateLimitWaits)),
                Array("wait_ms", NpgsqlDbType.Bigint, counts.Select(c => c.RateLimitWaitMs)),
            ], cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync(Cleanup, [new NpgsqlParameter("cutoff", clock.GetUtcNow() - Retention)], cancellationToken);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
