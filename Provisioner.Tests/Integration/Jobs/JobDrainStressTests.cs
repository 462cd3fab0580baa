using System.Diagnostics;
using Provisioner.Core.Instances;
using Provisioner.Tests.Support;
using Xunit.Abstractions;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>Three workers and nothing else: the stack for draining a large backlog.</summary>
public sealed class DrainStack : ProvisionerStack
{
    protected override int WorkerCount => 3;
}

/// <summary>
/// Thousands of jobs over three workers: every one runs, and none is left fetched-but-never-run (reported of
/// Hangfire.PostgreSql's long polling under load). Each item is a real step on a real record, handed off by the
/// relay, delivered by Hangfire and retired by the runner.
/// </summary>
public sealed class JobDrainStressTests(DrainStack stack, ITestOutputHelper output) : IClassFixture<DrainStack>
{
    private const int Items = 2000;

    [Fact]
    public async Task Backlog_OfThousandsOfSteps_IsDrainedCompletelyByThreeWorkers()
    {
        // Finished instances with a terminate step pending: each job loads its record, finds nothing to do and
        // retires its item, so the run measures the engine and the outbox rather than a cloud.
        await stack.Database.ExecuteAsync($$"""
            INSERT INTO provisioner.instances (id, owner, user_id, provider, instance_type, region, disk_size_gb, auto_terminate_minutes,
                tags, metadata, status, cost_per_hour, total_cost, created_at, updated_at, status_changed_at, auto_terminate_at, terminated_at,
                cost_is_estimate, billing_increment_seconds, billing_minimum_seconds, billing_stops_at, cost_settled, gpu_count, launch_attempt_number,
                on_interruption, max_interruptions, interruption_count, machines, earlier_machines_cost, relaunch_pending)
            SELECT gen_random_uuid(), 'stress', 'stress', 'SIMULATED', 'sim.gpu.small', 'sim-local-1', 10, 60,
                   '{}', '{}', 'TERMINATED', 0, 0, now(), now(), now(), now() + interval '1 hour', now(),
                   false, 1, 0, 'RELEASED', false, 1, 1, 'FAIL', 0, 0, '[]', 0, false
              FROM generate_series(1, {{Items}});
            INSERT INTO provisioner.pending_work (instance_id, kind, run_at, ticket, attempt, updated_at)
            SELECT id, 'Terminate', now(), gen_random_uuid(), 0, now() FROM provisioner.instances WHERE owner = 'stress';
            NOTIFY provisioner_work;
            """);
        var drained = Stopwatch.StartNew();

        long left;
        while ((left = await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work")) > 0)
        {
            drained.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(8), "{0} of {1} items are still pending: {2}\n{3}",
                left, Items, await StatesAsync(), stack.Logs());
            await Task.Delay(250);
        }

        var elapsed = drained.Elapsed;
        // A job retires its item before Hangfire records it Succeeded and deletes its queue row, so the last jobs may
        // still be finishing when the items are gone (on a loaded machine, for a while): wait for that, with a
        // deadline, rather than read Hangfire's tables at the instant the items ran out. A job fetched and never run
        // is still caught: it never finishes.
        var settled = Stopwatch.StartNew();
        while (await UnfinishedJobsAsync() > 0 && settled.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(250);
        }

        var states = await StatesAsync();
        var report = $"job drain: {Items} steps over 3 workers in {elapsed.TotalSeconds:0.0} s ({Items / elapsed.TotalSeconds:0} steps/s); job states: {states}";
        output.WriteLine(report);
        TestReports.Write("job-drain", report);
        (await stack.Database.ScalarAsync<long>($"SELECT count(*) FROM hangfire.job WHERE {JobStore.OfKind(InstanceWorkKind.Terminate)} AND statename <> 'Succeeded'"))
            .Should().Be(0, "every job ran to the end: {0}", states);
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.jobqueue WHERE queue = 'lifecycle'"))
            .Should().Be(0, "nothing is left in the queue, fetched or not");
    }

    private Task<long> UnfinishedJobsAsync() => stack.Database.ScalarAsync<long>($"""
        SELECT (SELECT count(*) FROM hangfire.job WHERE {JobStore.OfKind(InstanceWorkKind.Terminate)} AND statename <> 'Succeeded')
             + (SELECT count(*) FROM hangfire.jobqueue WHERE queue = 'lifecycle')
        """);

    private Task<string> StatesAsync() => stack.Database.ScalarAsync<string>(
        "SELECT coalesce(string_agg(statename || '=' || n, ', '), 'none') FROM (SELECT statename, count(*) n FROM hangfire.job GROUP BY 1) s");
}
