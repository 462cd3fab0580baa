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
