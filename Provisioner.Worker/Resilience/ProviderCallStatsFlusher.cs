using Microsoft.Extensions.Options;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Writes this worker's call counts to the database every <see cref="ProviderCallStatsOptions.StatsFlushInterval"/>,
/// and once more when the worker stops, so a drained worker's last calls are on the Providers page too.
/// </summary>
internal sealed class ProviderCallStatsFlusher(
    ProviderCallCounts counts,
    ProviderCallStatsWriter writer,
    IOptions<ProviderCallStatsOptions> options,
    TimeProvider clock,
    ILogger<ProviderCallStatsFlusher> logger) : BackgroundService
{
    /// <summary>The last flush gets this long; the host's shutdown timeout bounds it anyway.</summary>
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Drains the counts and writes them; on failure they are put back for the next flush to carry.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var drained = counts.Drain();
        try
        {
            await writer.WriteAsync(drained, cancellationToken);
        }
        catch (Exception error)
        {
            // Statistics must never stop the worker: keep the counts and try again next time.
            counts.Restore(drained);
            if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            logger.CallStatsNotWritten(error, drained.Count);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatsFlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to the final flush.
        }

        using var last = new CancellationTokenSource(FinalFlushTimeout);
        try
        {
            await FlushAsync(last.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LastCallStatsNotWritten(FinalFlushTimeout);
        }
    }
}
