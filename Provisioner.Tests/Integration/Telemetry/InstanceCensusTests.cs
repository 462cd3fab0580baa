using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Telemetry;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Telemetry;

/// <summary>The API's census of instances against a real PostgreSQL: counted at start, then only after a read.</summary>
public sealed class InstanceCensusTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Census_NobodyReadsTheGauges_CountsOnlyAtStart_AndAReadBringsTheNextCount()
    {
        await using var harness = await LifecycleHarness.CreateAsync("census-on-read");
        await harness.CreateAsync();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var metrics = new ProvisionerMetrics(meters);
        using var census = new InstanceCensus(harness.Database.DataSource, metrics,
            Options.Create(new TelemetryOptions { CensusInterval = Interval }), TimeProvider.System, NullLogger<InstanceCensus>.Instance);
        await census.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => Instances(metrics.CensusRows) == 1, "the count at start");
            await harness.CreateAsync();

            // Three intervals with no read: a census on a timer would have counted the second instance by now.
            var quiet = Stopwatch.StartNew();
            while (quiet.Elapsed < 3 * Interval)
            {
                Instances(metrics.CensusRows).Should().Be(1, "nobody read the gauges since the count at start");
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }

            ReadGauges(meters).Should().Be(1, "a read gets the figures counted before it");
            await WaitUntilAsync(() => Instances(metrics.CensusRows) == 2, "the count after the read");
            ReadGauges(meters).Should().Be(2);
        }
        finally
        {
            await census.StopAsync(CancellationToken.None);
        }
    }

    private static long Instances(IReadOnlyList<InstanceCensusRow> rows) => rows.Sum(r => r.Count);

    /// <summary>
    /// What a scrape does: collects the observable gauges, here the instances one of this test's meter (not another
    /// test's in the same process), summed over its series.
    /// </summary>
    private static long ReadGauges(IMeterFactory meters)
    {
        long total = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "provisioner.instances")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => total += value);
        listener.Start();
        listener.RecordObservableInstruments();
        return total;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            deadline.Elapsed.Should().BeLessThan(Patience, $"waiting for {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
