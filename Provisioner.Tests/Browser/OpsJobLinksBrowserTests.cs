using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Fakes.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// The jobs dashboard names a webhook job by its event and instance (not by its delivery's id), stores nothing
/// secret in its arguments, and links a job that concerns an instance to that instance's console page.
/// </summary>
[Collection(OpsCollection.Name)]
public sealed class OpsJobLinksBrowserTests(OpsStack stack)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WebhookJob_IsNamedByEventAndInstance_HoldsNoSecret_AndLinksToItsInstance()
    {
        await stack.EnsureWorkerAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.Ok);
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser("jobname"), "SIMULATED", "sim.gpu.small", "sim-local-1");
        body["webhookUrl"] = url;
        body["webhookEvents"] = new JsonArray(WebhookEventTypes.Ready);
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", body);
        post.EnsureSuccessStatusCode();
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Deadline);
        var jobId = await WaitForDeliveryJobAsync(id);

        // The job's stored argument names the delivery, its ticket, the event and the instance: no URL, payload or secret.
        var argument = JsonNode.Parse(await stack.Database.ScalarAsync<string>("SELECT arguments::jsonb ->> 0 FROM hangfire.job WHERE id = $1", jobId))!.AsObject();
        argument.Select(p => p.Key).Should().BeEquivalentTo("DeliveryId", "Ticket", "EventType", "InstanceId");
        argument["EventType"]!.GetValue<string>().Should().Be(WebhookEventTypes.Ready);
        (await stack.Database.ScalarAsync<string>("SELECT arguments FROM hangfire.job WHERE id = $1", jobId)).Should().NotContain(url);

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "job-links");
        await sut.SignInToAsync(stack, $"/ops/jobs/jobs/details/{jobId}", "webhook-job-details");
        var name = $"Deliver {WebhookEventTypes.Ready} for instance {id}";
        await Assertions.Expect(sut.Page.GetByText(name).First).ToBeVisibleAsync();
        await sut.Page.Locator("#job-instance-link").ClickAsync();

        await sut.WaitForPageAsync(stack.Url($"/ops/instances/{id}"));
        await sut.ShotAsync("instance-from-job");
        await Assertions.Expect(sut.Page.Locator("body")).ToContainTextAsync(id.ToString());
        await sut.GotoAsync("/ops/jobs/jobs/succeeded", "succeeded-jobs-named");
        await Assertions.Expect(sut.Page.GetByText(name).First).ToBeVisibleAsync();
    }

    private async Task<long> WaitForDeliveryJobAsync(Guid instanceId)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var jobId = await stack.Database.ScalarAsync<long?>(
                "SELECT max(id) FROM hangfire.job WHERE invocationdata ->> 'Method' = 'Deliver' AND (arguments ->> 0)::jsonb ->> 'InstanceId' = $1 AND statename = 'Succeeded'",
                instanceId.ToString());
            if (jobId is { } found)
            {
                return found;
            }

            waited.Elapsed.Should().BeLessThan(Deadline, "the delivery job should succeed\n{0}", stack.Logs());
            await Task.Delay(200);
        }
    }
}
