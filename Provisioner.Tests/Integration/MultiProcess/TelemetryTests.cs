using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Telemetry;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>
/// Running for real, with the API and three workers as processes: one trace from a create's POST to its job's log
/// line, the client's correlation id echoed and followed into the worker, metrics a scraper can read, and a worker
/// that refuses to start on a bad setting.
/// </summary>
public sealed partial class TelemetryTests(TelemetryStack stack) : IClassFixture<TelemetryStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Create_TheApiLineAndTheJobLine_CarryOneTraceAndTheClientsCorrelationId()
    {
        var correlationId = $"client-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances")
        {
            Content = JsonContent.Create(InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser())),
        };
        request.Headers.Add(Correlation.Header, correlationId);

        using var response = await stack.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        response.Headers.GetValues(Correlation.Header).Should().Equal([correlationId], "the client's id is echoed");
        var id = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        var apiLine = await stack.WaitForLogLineAsync([stack.Api], l => l.Contains($"Instance {id} requested"), Patience);
        var jobLine = await stack.WaitForLogLineAsync(stack.Workers, l => l.Contains($"Instance {id} launched as"), Patience);
        var trace = TraceIdOf(apiLine);
        trace.Should().NotBeNull("the API's line carries its trace id: {0}", apiLine);
        TraceIdOf(jobLine).Should().Be(trace, "the launch job continues the POST's trace\nAPI: {0}\njob: {1}", apiLine, jobLine);
        apiLine.Should().Contain($"CorrelationId:{correlationId}");
        jobLine.Should().Contain($"CorrelationId:{correlationId}", "the worker's job logs the client's correlation id");
        TestReports.Write("telemetry-trace", $"telemetry: one trace from POST to job\n  API:    {apiLine}\n  worker: {jobLine}");
    }

    [Fact]
    public async Task Request_WithoutOrWithAnUnusableCorrelationId_GetsOneMadeFromItsTrace()
    {
        using var plain = await stack.Client.GetAsync("/api/instance-types");
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/instance-types");
        forged.Headers.TryAddWithoutValidation(Correlation.Header, "bad id\twith spaces");
        using var replaced = await stack.Client.SendAsync(forged);

        plain.Headers.GetValues(Correlation.Header).Single().Should().MatchRegex("^[0-9a-f]{32}$");
        replaced.Headers.GetValues(Correlation.Header).Single().Should().MatchRegex("^[0-9a-f]{32}$", "a value that could forge a log line is not echoed");
    }

    [Fact]
    public async Task Metrics_AfterSeveralLifecycles_CountJobsAndCloudCallsPlausibly()
    {
        const int Lifecycles = 3;
        var before = await stack.ScrapeWorkersAsync();

        await Task.WhenAll(Enumerable.Range(0, Lifecycles).Select(_ => RunLifecycleAsync()));

        // Counters are read at the scrape; the last job's own outcome is recorded a moment after its effect.
        var after = await WaitForAsync(stack.ScrapeWorkersAsync,
            s => Delta(before, s, "provisioner_jobs_total", ("kind", "Terminate"), ("outcome", "done")) >= Lifecycles);
        Delta(before, after, "provisioner_jobs_total", ("kind", "Create"), ("outcome", "done")).Should().Be(Lifecycles, Dump(after));
        Delta(before, after, "provisioner_jobs_total", ("kind", "AwaitReady"), ("outcome", "done")).Should().BeGreaterThanOrEqualTo(Lifecycles);
        Delta(before, after, "provisioner_job_pickup_delay_seconds_count", ("kind", "Create")).Should().Be(Lifecycles);
        var pickupSeconds = Delta(before, after, "provisioner_job_pickup_delay_seconds_sum", ("kind", "Create")) / Lifecycles;
        pickupSeconds.Should().BeInRange(0, 10, "a create waits for a free job thread, not for a poll of minutes");
        Delta(before, after, "provisioner_cloud_calls_total", ("provider", "SIMULATED"), ("operation", "launch"), ("result", "ok")).Should().Be(Lifecycles);
        Delta(before, after, "provisioner_cloud_calls_total", ("provider", "SIMULATED"), ("operation", "terminate"), ("result", "ok")).Should().BeGreaterThanOrEqualTo(Lifecycles);
        Delta(before, after, "provisioner_cloud_call_duration_seconds_count", ("provider", "SIMULATED"), ("operation", "describe"))
            .Should().BeGreaterThanOrEqualTo(Lifecycles, "every machine is looked at until it is ready");
        after.Any(s => s.Has("provisioner_cloud_circuit_state", ("provider", "SIMULATED"))).Should().BeTrue("a worker that called the cloud reports its circuit");
        after.SelectMany(s => s.Text.Split('\n')).Where(l => l.StartsWith("provisioner_cloud_circuit_state{", StringComparison.Ordinal))
            .Should().OnlyContain(l => l.EndsWith(" 0"), "no circuit opened against a healthy cloud");
        TestReports.Write("telemetry-metrics", $"telemetry: {Lifecycles} lifecycles over 3 workers' /metrics (deltas): " +
            $"Create done {Delta(before, after, "provisioner_jobs_total", ("kind", "Create"), ("outcome", "done"))}, " +
            $"AwaitReady done {Delta(before, after, "provisioner_jobs_total", ("kind", "AwaitReady"), ("outcome", "done"))}, " +
            $"Terminate done {Delta(before, after, "provisioner_jobs_total", ("kind", "Terminate"), ("outcome", "done"))}, " +
            $"cloud calls ok {Delta(before, after, "provisioner_cloud_calls_total", ("result", "ok"))}, " +
            $"mean create pickup {pickupSeconds * 1000:0} ms");
    }

    [Fact]
    public async Task ApiMetrics_ForAdminsOnly_CountRequestsAndInstancesByState()
    {
        using var anonymous = stack.CreateClient(null);
        using var tenant = stack.CreateClient(stack.TenantKey);
        using var admin = stack.CreateClient(stack.AdminKey);

        (await anonymous.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await tenant.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await RunLifecycleAsync();
        var scrape = await WaitForAsync(async () => new PrometheusText(await admin.GetStringAsync("/metrics")),
            s => s.Sum("provisioner_instances", ("status", "TERMINATED")) >= 1);

        scrape.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/instances/"), ("http_request_method", "POST"))
            .Should().BeGreaterThanOrEqualTo(1, Dump([scrape]));
        scrape.Sum("provisioner_spend_usd").Should().BeGreaterThan(0, "a machine that ran was billed");
    }

    [Fact]
    public async Task Worker_WithAnInvalidSetting_ExitsNonZeroNamingTheSetting()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Provisioner"] = stack.Database.ConnectionString,
            ["Jobs__WorkerCount"] = "0",
        };

        var (exitCode, output) = await HostProcess.RunToExitAsync(RepositoryPaths.WorkerDll, environment, Patience);

        exitCode.Should().NotBe(0, output);
        output.Should().Contain("Jobs:WorkerCount must be between 1 and 100 (it is 0)");
    }

    private Task RunLifecycleAsync() => stack.RunLifecycleAsync(Patience);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || waited.Elapsed > Patience)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }

    private static double Delta(IReadOnlyList<PrometheusText> before, IReadOnlyList<PrometheusText> after, string name, params (string, string)[] labels) =>
        after.Sum(s => s.Sum(name, labels)) - before.Sum(s => s.Sum(name, labels));

    private static string Dump(IEnumerable<PrometheusText> scrapes) =>
        string.Join("\n-----\n", scrapes.Select(s => string.Join("\n", s.Text.Split('\n').Where(l => l.StartsWith("provisioner_", StringComparison.Ordinal) || l.StartsWith("http_server", StringComparison.Ordinal)))));

    private static string? TraceIdOf(string line) => TraceIdRegex().Match(line) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("TraceId:([0-9a-f]{32})")]
    private static partial Regex TraceIdRegex();
}
