using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Telemetry;

/// <summary>
/// Our instruments, on the one meter <see cref="MeterName"/> (Prometheus names in brackets): jobs by kind and
/// outcome [provisioner_jobs_total], their duration [provisioner_job_duration_seconds] and pickup delay, from due
/// to started [provisioner_job_pickup_delay_seconds]; cloud calls by provider, operation and result
/// [provisioner_cloud_calls_total, provisioner_cloud_call_duration_seconds]; each worker's circuits
/// [provisioner_cloud_circuit_state]; and, from the API, instances by state and spend, and API keys read from the
/// database [provisioner_api_key_lookups_total].
/// </summary>
public sealed class ProvisionerMetrics
{
    public const string MeterName = "Provisioner";

    // Seconds, from a fast job pickup (tens of ms) to a slow cloud call; the SDK's default buckets assume ms.
    private static readonly IReadOnlyList<double> SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _jobDuration;
    private readonly Histogram<double> _pickupDelay;
    private readonly Counter<long> _cloudCalls;
    private readonly Histogram<double> _cloudCallDuration;
    private readonly Counter<long> _keyLookups;
    private readonly ConcurrentDictionary<(string Provider, string Region), int> _circuits = new();
    private volatile IReadOnlyList<InstanceCensusRow> _census = [];
    private volatile Action? _censusRead;

    public ProvisionerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _jobs = meter.CreateCounter<long>("provisioner.jobs", "{job}", "Instance jobs run, by kind and outcome (done, retrying, stale, handed_back, error).");
        _jobDuration = meter.CreateHistogram("provisioner.job.duration", "s", "How long an instance job ran.", advice: seconds);
        _pickupDelay = meter.CreateHistogram("provisioner.job.pickup_delay", "s", "From the time work was due (a create: its POST) to its job starting.", advice: seconds);
        _cloudCalls = meter.CreateCounter<long>("provisioner.cloud.calls", "{call}", "Cloud calls, by provider, operation and result (ok or the error class).");
        _cloudCallDuration = meter.CreateHistogram("provisioner.cloud.call.duration", "s", "Cloud call latency, in-place retries included.", advice: seconds);
        _keyLookups = meter.CreateCounter<long>("provisioner.api_key.lookups", "{lookup}",
            "API keys read from the database (not remembered from a recent read), by result (found, missing).");
        meter.CreateObservableGauge("provisioner.cloud.circuit.state", ObserveCircuits, "{state}",
            "This worker's circuit per provider and region: 0 closed, 1 half-open, 2 open.");
        meter.CreateObservableGauge("provisioner.instances", () => ReadCensus().Select(r => Measure(r.Count, r)), "{instance}",
            "Instances by state and provider (counted by the API).");
        meter.CreateObservableGauge("provisioner.spend.usd", () => ReadCensus().Select(r => Measure((double)r.SpendUsd, r)), null,
            "Billed so far, USD: finished instances' final cost and live ones' cost up to now (by the API).");
        meter.CreateObservableGauge("provisioner.spend.rate.usd_per_hour", () => ReadCensus().Where(r => r.RateUsdPerHour > 0).Select(r => Measure((double)r.RateUsdPerHour, r)), null,
            "What the machines running now cost per hour, USD (by the API).");
    }

    public void JobStarted(InstanceWorkKind kind, TimeSpan sinceDue) =>
        _pickupDelay.Record(Math.Max(0, sinceDue.TotalSeconds), new KeyValuePair<string, object?>("kind", kind.ToString()));

    public void JobFinished(InstanceWorkKind kind, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "kind", kind.ToString() }, { "outcome", outcome } };
        _jobs.Add(1, tags);
        _jobDuration.Record(duration.TotalSeconds, tags);
    }

    public void CloudCall(string provider, string operation, string result, TimeSpan duration)
    {
        var tags = new TagList { { "provider", provider }, { "operation", operation }, { "result", result } };
        _cloudCalls.Add(1, tags);
        _cloudCallDuration.Record(duration.TotalSeconds, tags);
    }

    public void KeyLookedUp(bool found) => _keyLookups.Add(1, new KeyValuePair<string, object?>("result", found ? "found" : "missing"));

    /// <param name="state">One of <see cref="ProviderCircuit"/>'s states.</param>
    public void CircuitChanged(string provider, string region, string state) =>
        _circuits[(provider, region)] = state switch
        {
            ProviderCircuit.Open => 2,
            ProviderCircuit.HalfOpen => 1,
            _ => 0,
        };

    /// <summary>The latest count of instances, replacing the previous one.</summary>
    public void Census(IReadOnlyList<InstanceCensusRow> rows) => _census = rows;

    /// <summary>The census as last counted, without asking for a new count (what a collection would read).</summary>
    internal IReadOnlyList<InstanceCensusRow> CensusRows => _census;

    /// <summary>
    /// Calls <paramref name="read"/> each time a collection (a scrape, an OTLP export) reads the instance gauges, so
    /// that the census is counted only while someone reads it.
    /// </summary>
    internal void OnCensusRead(Action read) => _censusRead = read;

    private IReadOnlyList<InstanceCensusRow> ReadCensus()
    {
        _censusRead?.Invoke();
        return _census;
    }

    private IEnumerable<Measurement<int>> ObserveCircuits() =>
        _circuits.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("provider", c.Key.Provider), new("region", c.Key.Region)));

    private static Measurement<T> Measure<T>(T value, InstanceCensusRow row)
        where T : struct =>
        new(value, new KeyValuePair<string, object?>("provider", row.Provider), new("status", row.Status));
}

/// <summary>Instances of one provider in one state, with what they cost.</summary>
public sealed record InstanceCensusRow(string Provider, string Status, long Count, decimal SpendUsd, decimal RateUsdPerHour);
