using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;
using Xunit.Abstractions;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>
/// The lifecycle under retries, races and crashes, as it runs in production: the API and three worker processes
/// on one database, a cloud that errors and loses answers, instances created and deleted at random times, and a
/// worker SIGKILLed mid-job and replaced, and spot reclaims of ready machines (some announced a few seconds ahead) that
/// the machine watch must notice. Auto-termination is real time (the shortest deadline is 5 minutes), so
/// this test runs for about six minutes. It prints what it counted.
/// </summary>
public sealed class ChaosTests(ChaosStack stack, ITestOutputHelper output) : IClassFixture<ChaosStack>
{
    private const int AutoTerminated = 6;
    private const int Deleted = 16;
    private const int Kept = 8;
    private const int Preempted = 4;
    private static readonly TimeSpan DeadlineBound = TimeSpan.FromSeconds(10);
    // Jobs:InvisibilityTimeout (5 s; the takeover loop wakes a thread when it runs out) plus slack for a loaded 2-core machine.
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(9);

    [Fact]
    public async Task ManyInstances_FaultyCloud_KilledWorker_EndInTheRightStateWithNothingLeaked()
    {
        var seed = Environment.GetEnvironmentVariable("PROVISIONER_CHAOS_SEED") is { } s ? int.Parse(s) : Random.Shared.Next();
        var random = new Random(seed);
        var userId = InstanceRequestBuilder.UniqueUser("chaos");
        var clock = Stopwatch.StartNew();

        var plans = Enumerable.Range(0, AutoTerminated + Deleted + Kept + Preempted).Select(i => new Plan(
            Kind: i < AutoTerminated ? PlanKind.AutoTerminate : i < AutoTerminated + Deleted ? PlanKind.Delete
                : i < AutoTerminated + Deleted + Kept ? PlanKind.Keep : PlanKind.Preempt,
            CreateAt: TimeSpan.FromMilliseconds(random.Next(0, 20_000)),
            DeleteAfter: TimeSpan.FromMilliseconds(random.NextDouble() < 0.4 ? random.Next(0, 1_000) : random.Next(1_000, 25_000))))
            .ToList();

        var runs = plans.Select(plan => RunPlanAsync(plan, userId, clock)).ToList();
        var recovery = await KillAndReplaceAWorkerAsync(clock);
        var outcomes = await Task.WhenAll(runs);

        // Deleted instances end Terminated; kept ones are Ready; auto-terminated ones end at their deadline.
        foreach (var outcome in outcomes.Where(o => o.Plan.Kind == PlanKind.Delete))
        {
            await stack.WaitForStatusAsync(outcome.Id, InstanceStatus.Terminated, TimeSpan.FromSeconds(90));
        }

        foreach (var outcome in outcomes.Where(o => o.Plan.Kind != PlanKind.Delete))
        {
            await stack.WaitForStatusAsync(outcome.Id, InstanceStatus.Ready, TimeSpan.FromSeconds(90));
        }

        // Reclaimed while READY (the notice drawn from the seed): each ends FAILED as interrupted, its machine released.
        var control = new Provisioner.Core.Providers.Simulated.SimulatedCloudControl(stack.Database.DataSource);
        var preemptions = new List<(Guid Id, DateTimeOffset At)>();
        foreach (var outcome in outcomes.Where(o => o.Plan.Kind == PlanKind.Preempt))
        {
            var ready = await stack.GetInstanceAsync(outcome.Id);
            var at = TimeProvider.System.GetUtcNow().AddMilliseconds(random.Next(0, 5_000));
            await control.PreemptAsync(ready.CloudInstanceId!, at, CancellationToken.None);
            preemptions.Add((outcome.Id, at));
        }

        var noticed = new List<TimeSpan>();
        foreach (var (id, at) in preemptions)
        {
            var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, TimeSpan.FromSeconds(60));
            failed.FailureReason.Should().StartWith("Interrupted: ");
            noticed.Add(failed.TerminatedAt!.Value - at);
            var released = Stopwatch.StartNew();
            while (await stack.Database.ScalarAsync<long>(
                "SELECT count(*) FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1 AND terminate_requested_at IS NULL", id.ToString()) > 0)
            {
                released.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "an interrupted instance's machine is released");
                await Task.Delay(200);
            }
        }

        var lateness = new List<TimeSpan>();
        foreach (var outcome in outcomes.Where(o => o.Plan.Kind == PlanKind.AutoTerminate))
        {
            // The processes run on the real clock; so does this wait.
            var wait = outcome.AutoTerminateAt - TimeProvider.System.GetUtcNow() + DeadlineBound + TimeSpan.FromSeconds(20);
            var (terminated, _) = await stack.WaitForStatusAsync(outcome.Id, InstanceStatus.Terminated, wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(20));
            var events = (await stack.Client.GetFromJsonAsync<InstanceEventsEnvelope>($"/api/instances/{outcome.Id}/events", ProvisionerStack.Json))!;
            events.Events.Single(e => e.To == InstanceStatus.Stopping).Cause.Should().StartWith("auto-terminate deadline reached");
            lateness.Add(terminated.TerminatedAt!.Value - terminated.AutoTerminateAt);
        }

        foreach (var outcome in outcomes.Where(o => o.Plan.Kind == PlanKind.Keep))
        {
            (await stack.Client.DeleteAsync($"/api/instances/{outcome.Id}")).Dispose();
        }

        foreach (var outcome in outcomes.Where(o => o.Plan.Kind == PlanKind.Keep))
        {
            await stack.WaitForStatusAsync(outcome.Id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));
        }

        var liveMachines = await LiveMachinesAsync(userId);
        var duplicateLaunches = await stack.Database.ScalarAsync<long>("""
            SELECT count(*) FROM (
              SELECT m.tags ->> 'provisioner:instance-id' FROM simulated_cloud.machines m
              JOIN provisioner.instances i ON i.id::text = m.tags ->> 'provisioner:instance-id'
              WHERE i.user_id = $1 GROUP BY 1 HAVING count(*) > 1) d
            """, userId);
        var machines = await stack.Database.ScalarAsync<long>("""
            SELECT count(*) FROM simulated_cloud.machines m
            JOIN provisioner.instances i ON i.id::text = m.tags ->> 'provisioner:instance-id' WHERE i.user_id = $1
            """, userId);
        var recorded = await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM provisioner.instances WHERE user_id = $1 AND cloud_instance_id IS NOT NULL", userId);
        var untracked = await stack.Database.ScalarAsync<long>("""
            SELECT count(*) FROM simulated_cloud.machines m
            WHERE m.terminate_requested_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM provisioner.instances i WHERE i.id::text = m.tags ->> 'provisioner:instance-id')
            """);
        var workersThatRanSteps = await stack.Database.ScalarAsync<long>("""
            SELECT count(DISTINCT split_part(data ->> 'ServerId', ':', 1)) FROM hangfire.state
             WHERE name = 'Processing' AND data ->> 'ServerId' LIKE '%:lifecycle:%'
            """);
        var finalStates = await stack.Database.ScalarAsync<string>(
            "SELECT string_agg(status || '=' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) n FROM provisioner.instances WHERE user_id = $1 GROUP BY 1) s",
            userId);

        var report = string.Join(Environment.NewLine,
            $"chaos seed {seed}: {outcomes.Length} instances ({AutoTerminated} auto-terminated, {Deleted} deleted at random times, {Kept} kept then deleted, {Preempted} reclaimed while ready), cloud error rate 10%, lost answers 10%",
            $"  reclaims noticed (FAILED as interrupted) after: max {noticed.Max().TotalSeconds:0.00} s, mean {noticed.Average(n => n.TotalSeconds):0.00} s (bound 30 s)",
            $"  final states: {finalStates}",
            $"  machines launched: {machines} (recorded on their instances: {recorded}; the rest were deleted before launch); duplicate launches: {duplicateLaunches}; machines still running: {liveMachines}; machines without a record: {untracked}",
            $"  workers that ran lifecycle steps: {workersThatRanSteps} (3 from the start, one started after the kill)",
            $"  worker SIGKILLed with {recovery.JobsRunningAtKill} job(s) running; its jobs taken over by the survivors after {recovery.Elapsed.TotalSeconds:0.00} s",
            $"  auto-termination after the deadline: max {lateness.Max().TotalSeconds:0.00} s, mean {lateness.Average(l => l.TotalSeconds):0.00} s (bound {DeadlineBound.TotalSeconds} s)",
            $"  run took {clock.Elapsed.TotalSeconds:0} s");
        output.WriteLine(report);
        TestReports.Write("chaos", report);

        finalStates.Should().Be($"FAILED={Preempted}, TERMINATED={outcomes.Length - Preempted}");
        noticed.Should().OnlyContain(n => n >= TimeSpan.Zero && n < TimeSpan.FromSeconds(30), "every reclaim is noticed within the bound");
        workersThatRanSteps.Should().BeGreaterThanOrEqualTo(3, "the workers share the work");
        duplicateLaunches.Should().Be(0);
        machines.Should().Be(recorded, "every machine launched is recorded on its instance");
        liveMachines.Should().Be(0);
        untracked.Should().Be(0);
        recovery.Elapsed.Should().BeLessThan(RecoveryBound);
        lateness.Should().OnlyContain(l => l >= TimeSpan.Zero && l <= DeadlineBound);
    }

    private async Task<Outcome> RunPlanAsync(Plan plan, string userId, Stopwatch clock)
    {
        await DelayUntil(clock, plan.CreateAt);
        var request = InstanceRequestBuilder.Seed(userId, "SIMULATED", "sim.gpu.small", "sim-local-1");
        request["config"]!["autoTerminateMinutes"] = plan.Kind == PlanKind.AutoTerminate ? 5 : 60;
        var key = Guid.NewGuid().ToString();
        InstanceResponse created;
        using (var message = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(request) })
        {
            message.Headers.Add(InstancesApi.IdempotencyKeyHeader, key);
            using var response = await stack.Client.SendAsync(message);
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
            created = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;
        }

        if (plan.Kind == PlanKind.Delete)
        {
            await Task.Delay(plan.DeleteAfter);
            using var delete = await stack.Client.DeleteAsync($"/api/instances/{created.Id}");
            delete.StatusCode.Should().BeOneOf(HttpStatusCode.Accepted, HttpStatusCode.OK);
        }

        return new Outcome(plan, created.Id, created.AutoTerminateAt);
    }

    /// <summary>SIGKILLs worker-1 while it runs jobs and times how long until the survivors have taken them over.</summary>
    private async Task<(TimeSpan Elapsed, long JobsRunningAtKill)> KillAndReplaceAWorkerAsync(Stopwatch clock)
    {
        await DelayUntil(clock, TimeSpan.FromSeconds(6));
        var victim = stack.Workers[0];
        long running = 0;
        for (var tries = 0; tries < 400 && running == 0; tries++)
        {
            running = await RunningOnAsync(victim.Name);
            if (running == 0)
            {
                await Task.Delay(25);
            }
        }

        var killedAt = Stopwatch.StartNew();
        await victim.KillAsync();
        // Taken over: none of its jobs is still Processing on it (each was fetched again and run elsewhere).
        while (await RunningOnAsync(victim.Name) > 0)
        {
            killedAt.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the dead worker's jobs must come back");
            await Task.Delay(50);
        }

        var elapsed = killedAt.Elapsed;
        await stack.StartWorkerAsync();
        return (elapsed, running);
    }

    private Task<long> RunningOnAsync(string worker) => stack.Database.ScalarAsync<long>("""
        SELECT count(*) FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
         WHERE j.statename = 'Processing' AND s.data ->> 'ServerId' LIKE $1
        """, worker + ":%");

    private Task<long> LiveMachinesAsync(string userId) => stack.Database.ScalarAsync<long>("""
        SELECT count(*) FROM simulated_cloud.machines m
        JOIN provisioner.instances i ON i.id::text = m.tags ->> 'provisioner:instance-id'
        WHERE i.user_id = $1 AND m.terminate_requested_at IS NULL
        """, userId);

    private static Task DelayUntil(Stopwatch clock, TimeSpan at) => at > clock.Elapsed ? Task.Delay(at - clock.Elapsed) : Task.CompletedTask;

    private enum PlanKind
    {
        AutoTerminate,
        Delete,
        Keep,
        Preempt,
    }

    private sealed record Plan(PlanKind Kind, TimeSpan CreateAt, TimeSpan DeleteAfter);

    private sealed record Outcome(Plan Plan, Guid Id, DateTimeOffset AutoTerminateAt);
}
