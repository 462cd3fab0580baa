using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// What each instance job writes to the job store: its states, and none of the default filters' extra rows (culture
/// parameters, continuation reads, daily and hourly statistics counters) that cost statements on every job.
/// </summary>
public sealed class JobStoreCostTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    [Fact]
    public async Task Lifecycle_JobsKeepTheirStates_WithoutCultureParametersOrHistoryCounters()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1"));
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
        (await stack.Client.DeleteAsync($"/api/instances/{id}")).EnsureSuccessStatusCode();
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));

        var jobs = $"SELECT id FROM hangfire.job WHERE {JobStore.ForInstance("$1")}";
        // The terminate job's own final state is written after its step has saved TERMINATED.
        var states = $"SELECT string_agg(DISTINCT statename, ',') FROM hangfire.job WHERE {JobStore.ForInstance("$1")}";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await stack.Database.ScalarAsync<string>(states, id.ToString()) != "Succeeded" && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        (await stack.Database.ScalarAsync<string>(states, id.ToString()))
            .Should().Be("Succeeded", "the launch, the readiness looks and the terminate step each ran to the end");
        (await stack.Database.ScalarAsync<string>(
                $"SELECT string_agg(name, ',' ORDER BY id) FROM hangfire.state WHERE jobid IN ({jobs}) AND jobid = (SELECT min(id) FROM hangfire.job WHERE {JobStore.ForInstance("$1")})",
                id.ToString()))
            .Should().Be("Enqueued,Processing,Succeeded", "the dashboard still shows every job's history");
        (await stack.Database.ScalarAsync<long>($"SELECT count(*) FROM hangfire.jobparameter WHERE jobid IN ({jobs})", id.ToString()))
            .Should().Be(0, "no culture (or any other) parameter is captured for instance work");
        (await stack.Database.ScalarAsync<long>(
                "SELECT (SELECT count(*) FROM hangfire.counter WHERE key LIKE 'stats:succeeded:%') + (SELECT count(*) FROM hangfire.aggregatedcounter WHERE key LIKE 'stats:succeeded:%')"))
            .Should().Be(0, "no daily or hourly history counter is written per job");
    }
}
