using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// One worker whose relay polls every ten minutes, and presumes a job lost after 8 s. The lifecycle sweep, which also
/// enforces a deadline it finds 5 s overdue, runs once a day here, so only the relay can act on a test's deadline.
/// </summary>
public sealed class RareRelayPollStack : ProvisionerStack
{
    public static readonly TimeSpan LostJobAfter = TimeSpan.FromSeconds(8);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Jobs__RelayPollInterval"] = "00:10:00",
        ["Jobs__LostJobAfter"] = "00:00:08",
        ["Lifecycle__SweepInterval"] = "1.00:00:00",
    };
}

/// <summary>
/// The outbox relay's poll is only a fallback: it is woken by its outbox's notification for new work and at the time
/// a handed-off item's job would be presumed lost, so neither waits for the poll (ten minutes here).
/// </summary>
public sealed class RelayWakeUpTests(RareRelayPollStack stack) : IClassFixture<RareRelayPollStack>
{
    [Fact]
    public async Task NewWork_IsHandedOffOnItsNotification_NotAtThePoll()
    {
        var id = await RelayTestInstances.CreateAsync(stack);

        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task HandedOffWork_WhoseJobIsLost_IsHandedOffAgainWhenPresumedLost_NotAtThePoll()
    {
        var id = await RelayTestInstances.CreateAsync(stack);
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));

        // The deadline due now and handed off to a job that no longer exists (deleted from the engine, say); the
        // notification makes the relay look once, while the item is not yet presumed lost.
        var handedOff = await stack.Database.ScalarAsync<DateTime>(
            """
            WITH due AS (UPDATE provisioner.instances SET auto_terminate_at = now() WHERE id = $1)
            UPDATE provisioner.pending_work SET run_at = now(), job_id = 'lost-job', handed_off_at = now()
             WHERE instance_id = $1 AND kind = 'AutoTerminate' RETURNING handed_off_at
            """, id);
        await stack.Database.ExecuteAsync("NOTIFY provisioner_work");

        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));
        var stopped = await stack.Database.ScalarAsync<DateTime>(
            "SELECT terminate_requested_at FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1", id.ToString());
        stopped.Should().BeOnOrAfter(handedOff + RareRelayPollStack.LostJobAfter,
            "the item is handed off again only once its job is presumed lost");
    }
}

/// <summary>One worker whose relay polls every 2 s.</summary>
public sealed class FrequentRelayPollStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Jobs__RelayPollInterval"] = "00:00:02",
    };
}

/// <summary>Work whose notification was lost is still handed off, by the relay's fallback poll.</summary>
public sealed class RelayFallbackPollTests(FrequentRelayPollStack stack) : IClassFixture<FrequentRelayPollStack>
{
    [Fact]
    public async Task LostNotification_WorkIsHandedOffByTheFallbackPoll()
    {
        var id = await RelayTestInstances.CreateAsync(stack);
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));

        // The deadline moved to now with no notification: the relay still expects it minutes away, so only its poll
        // can find it.
        await stack.Database.ExecuteAsync(
            """
            WITH due AS (UPDATE provisioner.instances SET auto_terminate_at = now() WHERE id = $1)
            UPDATE provisioner.pending_work SET run_at = now() WHERE instance_id = $1 AND kind = 'AutoTerminate' AND job_id IS NULL
            """, id);

        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));
    }
}

/// <summary>An instance with a deadline five minutes away, so its auto-terminate item waits in the outbox.</summary>
internal static class RelayTestInstances
{
    public static async Task<Guid> CreateAsync(ProvisionerStack stack)
    {
        var request = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        request["config"]!["autoTerminateMinutes"] = 5;
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", request);
        post.EnsureSuccessStatusCode();
        return (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }
}
