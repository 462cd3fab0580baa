using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Provisioner.Core.Telemetry;

/// <summary>
/// Counts instances by state and provider, and sums their spend, every <see cref="TelemetryOptions.CensusInterval"/>
/// for the gauges. One grouped query in the background rather than at each scrape: a scrape stays cheap however
/// often it comes. Run by the API only (the figures are global; workers would repeat them).
/// </summary>
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CensusInterval, clock);
        do
        {
            try
            {
                metrics.Census(await CountAsync(stoppingToken));
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                // The gauges keep their last figures; health reports a database that is down.
                logger.CensusFailed(error);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task<IReadOnlyList<InstanceCensusRow>> CountAsync(CancellationToken cancellationToken)
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

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
