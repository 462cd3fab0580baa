using System.Diagnostics;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>One worker whose relay looks ten minutes ahead.</summary>
public sealed class LongHorizonStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Jobs__RelayHorizon"] = "00:10:00",
    };
}

/// <summary>A deadline within the relay's horizon becomes a delayed job due no earlier than the deadline itself.</summary>
public sealed class DeadlineHandOffTests(LongHorizonStack stack) : IClassFixture<LongHorizonStack>
{
    [Fact]
    public async Task Deadline_WithinTheHorizon_IsADelayedJobDueAtTheDeadlineRoundedUpToTheSecond()
    {
        var request = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        request["config"]!["autoTerminateMinutes"] = 5;
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", request);
        var instance = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;

        var waited = Stopwatch.StartNew();
        string? jobId;
        while ((jobId = await stack.Database.ScalarAsync<string?>(
            "SELECT job_id FROM provisioner.pending_work WHERE instance_id = $1 AND kind = 'AutoTerminate'", instance.Id)) is null)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the relay hands off what falls due within its horizon");
            await Task.Delay(100);
        }

        // Hangfire keeps a delayed job's due time in whole seconds; it must never be before the deadline.
        var dueSeconds = await stack.Database.ScalarAsync<double>("SELECT score FROM hangfire.set WHERE key = 'schedule' AND (value = $1 OR value = 'lifecycle:' || $1)", jobId);
        var due = DateTimeOffset.FromUnixTimeSeconds((long)dueSeconds);
        var deadline = (await stack.GetInstanceAsync(instance.Id)).AutoTerminateAt;
        due.Should().BeOnOrAfter(deadline).And.BeBefore(deadline.AddSeconds(1));
        (await stack.Database.ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = $1::bigint", jobId)).Should().Be("Scheduled");
    }
}

/// <summary>One worker whose relay and job servers poll so rarely that only a due-time wake-up can hand work off in time.</summary>
public sealed class RarePollStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Jobs__RelayPollInterval"] = "00:10:00",
        ["Jobs__SchedulePollingInterval"] = "00:01:00",
    };
}

/// <summary>
/// With no horizon (the default) a deadline stays in the outbox until it is due, and the relay wakes at that time to
/// hand it straight onto the queue: no delayed job, no wait for the relay's poll or the engine's schedule poll.
/// </summary>
public sealed class DeadlineDueTimeTests(RarePollStack stack) : IClassFixture<RarePollStack>
{
    [Fact]
    public async Task Deadline_WithNoHorizon_IsHandedOffWhenDue_NotAtTheNextPoll()
    {
        var request = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        request["config"]!["autoTerminateMinutes"] = 5;
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", request);
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));

        // The deadline moved to a few seconds ahead, as a writer of the outbox would: the row and its notification,
        // which wakes the relay to learn the new earliest due time (its next poll is ten minutes away).
        var deadline = await stack.Database.ScalarAsync<DateTime>(
            "UPDATE provisioner.instances SET auto_terminate_at = date_trunc('milliseconds', now()) + interval '3.5 seconds' WHERE id = $1 RETURNING auto_terminate_at", id);
        await stack.Database.ExecuteAsync(
            "UPDATE provisioner.pending_work SET run_at = $2 WHERE instance_id = $1 AND kind = 'AutoTerminate' AND job_id IS NULL", id, deadline);
        await stack.Database.ExecuteAsync("NOTIFY provisioner_work");

        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));
        var stopped = await stack.Database.ScalarAsync<DateTime>(
            "SELECT terminate_requested_at FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1", id.ToString());
        stopped.Should().BeOnOrAfter(deadline, "a machine is never stopped before its deadline");
        (await stack.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM hangfire.job j JOIN hangfire.state s ON s.jobid = j.id WHERE {JobStore.OfKind(InstanceWorkKind.AutoTerminate)} AND {JobStore.ForInstance("$1")} AND s.name = 'Scheduled'",
            id.ToString())).Should().Be(0, "the deadline went straight onto the queue when due, never through the engine's schedule");
    }
}
