using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>Two worker processes, a simulated cloud with no capacity for one offering, and a 3 s backoff doubling to 12 s.</summary>
public sealed class CapacityWaitStack : ProvisionerStack
{
    protected override int WorkerCount => 2;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Placement__BackoffInitial"] = "00:00:03",
        ["Placement__BackoffMax"] = "00:00:12",
        ["Providers__Simulated__Capacity__sim.gpu.small@sim-local-2"] = "0",
    };
}

/// <summary>
/// Requests waiting for capacity across two real worker processes: while the offering is refused, no worker asks the
/// cloud for it during its backoff (beyond launches racing the refusal that started it), and all become READY once
/// capacity returns.
/// </summary>
public sealed class CapacityWaitAcrossWorkersTests(CapacityWaitStack stack) : IClassFixture<CapacityWaitStack>
{
    /// <summary>
    /// How far after a refusal a launch that raced it may reach the cloud: it read "not in backoff" before the refusal
    /// was written, then queued behind the simulated cloud's per-type lock (long on a loaded machine). Well under the
    /// 3 s backoff, so a launch that ignored the backoff would still be caught.
    /// </summary>
    private static readonly TimeSpan RaceWindow = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How much earlier than this test's replay a backoff may really end: the worker starts it before it records the
    /// refused attempt whose time the replay counts from (a few database round trips, long on a loaded machine), and a
    /// waiting launch is handed off the moment the real backoff ends. Well under the 3 s backoff.
    /// </summary>
    private static readonly TimeSpan EndSlack = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task TwoWorkers_NeverAskForAnOfferingDuringItsBackoff_AndAllBecomeReadyWhenCapacityReturns()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            using var post = await stack.Client.PostAsJsonAsync("/api/instances", new JsonObject
            {
                ["userId"] = $"waiter-{i}",
                ["config"] = new JsonObject
                {
                    ["provider"] = "SIMULATED", ["instanceType"] = "sim.gpu.small", ["region"] = "sim-local-2",
                    ["diskSizeGB"] = 30, ["autoTerminateMinutes"] = 60, ["capacityWaitMinutes"] = 10,
                },
            });
            post.StatusCode.Should().Be(HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());
            ids.Add((await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id);
        }

        // Refused for a while: several waves of retries, across both workers.
        var waited = Stopwatch.StartNew();
        while ((await AskedAsync(ids)).Count < 12)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90), "the waiting launches are retried after each backoff");
            await Task.Delay(200);
        }

        var shown = await stack.Client.GetFromJsonAsync<InstanceEnvelope>($"/api/instances/{ids[0]}", ProvisionerStack.Json);
        (shown!.Instance.Status, shown.Instance.WaitingFor).Should().Be((InstanceStatus.Provisioning, "capacity"));

        await new SimulatedCloudControl(stack.Database.DataSource).SetCapacityAsync("sim.gpu.small", "sim-local-2", 6, CancellationToken.None);
        foreach (var id in ids)
        {
            await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
        }

        var asked = await AskedAsync(ids);
        // Replays the shared backoff over every launch the cloud was asked for: one met after the backoff ran out starts
        // the next, doubled; one met inside it must have raced the refusal that started it.
        var (until, refusals, windowStart) = (DateTimeOffset.UnixEpoch, 0, DateTimeOffset.UnixEpoch);
        foreach (var (at, outcome) in asked)
        {
            if (at >= until - EndSlack)
            {
                if (outcome == "REFUSED")
                {
                    refusals++;
                    windowStart = at;
                    until = at + TimeSpan.FromSeconds(Math.Min(3 * Math.Pow(2, refusals - 1), 12));
                }
            }
            else
            {
                (at - windowStart).Should().BeLessThan(RaceWindow,
                    $"a launch at {at:O} fell inside the backoff started at {windowStart:O} (until {until:O}) without racing it");
            }
        }

        refusals.Should().BeGreaterThanOrEqualTo(3, "the offering was refused again after each backoff ran out");
        asked.Count(a => a.Outcome == "LAUNCHED").Should().Be(6);
    }

    /// <summary>Launch attempts the cloud was asked for (refused or launched, not skipped), in order.</summary>
    private async Task<List<(DateTimeOffset At, string Outcome)>> AskedAsync(IReadOnlyList<Guid> ids)
    {
        var rows = new List<(DateTimeOffset, string)>();
        await using var command = stack.Database.DataSource.CreateCommand(
            "SELECT at, outcome FROM provisioner.launch_attempts WHERE instance_id = ANY($1) AND outcome IN ('REFUSED', 'LAUNCHED') ORDER BY at");
        command.Parameters.Add(new() { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
        }

        return rows;
    }
}
