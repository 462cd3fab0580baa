using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioner.Core.Telemetry;

/// <summary>
/// Counts instances by state and provider, and sums their spend, for the gauges: once at start, then after each time a
/// collection reads them, at most once every <see cref="TelemetryOptions.CensusInterval"/>. One grouped query in the
/// background rather than at each scrape: a scrape stays cheap however often it comes, and reads the figures counted
/// after the one before it. Run by the API only (the figures are global; workers would repeat them).
/// </summary>
/// <remarks>
/// Only when read, because the query reads every instance ever recorded: on bench/perf's database of 35,000 it took
/// 30 ms of PostgreSQL's CPU each time, every 15 s half of the whole idle stack's database work, for gauges that no
/// one scraped (docs/benchmarks.md, "Idle, fourth round").
/// </remarks>
internal sealed class InstanceCensus(
    NpgsqlDataSource dataSource,
    ProvisionerMetrics metrics,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<InstanceCensus> logger) : BackgroundService
{
    // Live instances' cost runs to now, as the statistics endpoint computes it; finished ones' is final.
    private const string Query = """
        SELECT provider, status, count(*)::bigint,
               coalesce(sum(CASE WHEN status IN ('TERMINATED', 'FAILED') OR launched_at IS NULL THEN total_cost
                                 ELSE round(cost_per_hour * extract(epoch FROM (now() - launched_at)) / 3600, 6) END), 0),
               coalesce(sum(cost_per_hour) FILTER (WHERE status NOT IN ('TERMINATED', 'FAILED') AND launched_at IS NOT NULL), 0)
          FROM provisioner.instances
         GROUP BY provider, status
        """;

    // A read while a count is pending or waiting out the interval adds nothing: one is enough.
    private readonly Channel<bool> _reads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.OnCensusRead(() => _reads.Writer.TryWrite(true));
        var interval = options.Value.CensusInterval;
        try
        {
            var counted = await CountAsync(stoppingToken);
            while (await _reads.Reader.WaitToReadAsync(stoppingToken))
            {
                var wait = counted + interval - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }

                _reads.Reader.TryRead(out _);
                counted = await CountAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>When this count began.</returns>
    private async Task<DateTimeOffset> CountAsync(CancellationToken cancellationToken)
    {
        var began = clock.GetUtcNow();
        try
        {
            metrics.Census(await QueryAsync(cancellationToken));
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            // The gauges keep their last figures; health reports a database that is down.
            logger.CensusFailed(error);
        }

        return began;
    }

    private async Task<IReadOnlyList<InstanceCensusRow>> QueryAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<InstanceCensusRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new InstanceCensusRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDecimal(3), reader.GetDecimal(4)));
        }

        return rows;
    }
}
