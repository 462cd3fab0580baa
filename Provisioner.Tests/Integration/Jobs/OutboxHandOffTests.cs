using System.Diagnostics;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>The API alone at first; a test starts the workers it needs.</summary>
public sealed class WorkerlessStack : ProvisionerStack
{
    protected override int WorkerCount => 0;
}

/// <summary>
/// Work committed with its record is never lost between the commit and the job engine: the API hands nothing
/// to the engine itself, and a worker that starts later (as after a crash right after the commit) finds it.
/// </summary>
public sealed class OutboxHandOffTests(WorkerlessStack stack) : IClassFixture<WorkerlessStack>
{
    [Fact]
    public async Task CommittedWork_WithNoWorkerToHandItOff_RunsOnceAWorkerStarts()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1"));
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work WHERE instance_id = $1 AND job_id IS NULL", id))
            .Should().Be(2, "the launch and the deadline are committed with the record, not yet handed off");
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.job")).Should().Be(0, "the API never touches the job engine");

        await stack.StartWorkerAsync();

        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
        (await stack.Database.ScalarAsync<long>($"SELECT count(*) FROM hangfire.job WHERE {JobStore.OfKind(InstanceWorkKind.Create)} AND statename = 'Succeeded'"))
            .Should().Be(1, "the relay handed the launch to the engine, which ran it once");
        (await stack.Database.ScalarAsync<string?>("SELECT job_id FROM provisioner.pending_work WHERE instance_id = $1 AND kind = 'AutoTerminate'", id))
            .Should().BeNull("a deadline an hour away stays in the outbox until it comes within the relay's horizon");
    }
}

/// <summary>Three workers with a short sweep period.</summary>
public sealed class ThreeWorkerStack : ProvisionerStack
{
    protected override int WorkerCount => 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Lifecycle__SweepInterval"] = "00:00:02",
    };
}

/// <summary>Recurring jobs run once per period however many workers run.</summary>
public sealed class RecurringJobTests(ThreeWorkerStack stack) : IClassFixture<ThreeWorkerStack>
{
    [Fact]
    public async Task Sweep_WithThreeWorkers_RunsOncePerPeriod()
    {
        var watched = Stopwatch.StartNew();
        while (await SweepRunsAsync() < 6)
        {
            watched.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the sweep is due every 2 s\n{0}", stack.Logs());
            await Task.Delay(200);
        }

        var perPeriod = await stack.Database.ScalarAsync<long>("""
            SELECT coalesce(max(n), 0) FROM (
              SELECT count(*) n FROM hangfire.jobparameter t
                JOIN hangfire.jobparameter r ON r.jobid = t.jobid AND r.name = 'RecurringJobId' AND r.value = '"lifecycle-sweep"'
               WHERE t.name = 'Time' GROUP BY t.value) p
            """);
        perPeriod.Should().Be(1, "one run per period, not one per worker");
        var servers = await stack.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE id LIKE '%:maintenance:%'");
        servers.Should().Be(3, "three workers compete for every run");
    }

    private Task<long> SweepRunsAsync() => stack.Database.ScalarAsync<long>(
        "SELECT count(*) FROM hangfire.jobparameter WHERE name = 'RecurringJobId' AND value = '\"lifecycle-sweep\"'");
}
