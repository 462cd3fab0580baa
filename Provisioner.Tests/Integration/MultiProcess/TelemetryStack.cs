using System.Diagnostics;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>
/// The API and three workers, logging one line per entry with its scopes (trace and correlation ids), and counting
/// instances for the gauges every second.
/// </summary>
public sealed class TelemetryStack : ProvisionerStack
{
    protected override int WorkerCount => 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
        ["Telemetry__CensusInterval"] = "00:00:01",
    };

    /// <summary>The first line any of <paramref name="processes"/> printed that matches, waiting for it until the deadline.</summary>
    public async Task<string> WaitForLogLineAsync(IEnumerable<HostProcess> processes, Func<string, bool> matches, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        var watched = processes.ToList();
        while (true)
        {
            // Console logging is asynchronous: the line may come a little after the effect it reports.
            var line = watched.SelectMany(p => p.Output.Split(Environment.NewLine)).FirstOrDefault(matches);
            if (line is not null)
            {
                return line;
            }

            if (waited.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"No matching log line within {timeout}.\n{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>What every worker's <c>/metrics</c> says, one exposition per worker.</summary>
    public async Task<IReadOnlyList<PrometheusText>> ScrapeWorkersAsync()
    {
        var scrapes = new List<PrometheusText>();
        foreach (var worker in Workers)
        {
            using var client = worker.CreateClient();
            scrapes.Add(new PrometheusText(await client.GetStringAsync("/metrics")));
        }

        return scrapes;
    }
}
