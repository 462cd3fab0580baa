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

/// <summary>An operator sees a webhook delivery that ran out of attempts and, once its receiver is back, redelivers it.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsWebhooksBrowserTests(OpsStack stack)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FailedDelivery_IsListed_RedeliveredByTheOperator_AndSucceeds()
    {
        await stack.EnsureWorkerAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.AlwaysFail(503));
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser("hook"), "SIMULATED", "sim.gpu.small", "sim-local-1");
        body["webhookUrl"] = url;
        body["webhookEvents"] = new JsonArray(WebhookEventTypes.Ready);
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", body);
        post.EnsureSuccessStatusCode();
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Deadline);
        await stack.Receiver.WaitForAsync(url, OpsStack.WebhookMaxAttempts, Deadline);
        var deliveryId = await WaitForFailedDeliveryAsync(id);
        stack.Receiver.Change(url, ReceiverBehaviour.Ok);
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "webhooks");

        await sut.SignInToAsync(stack, "/ops/webhooks", "failed-deliveries");
        var row = sut.Page.Locator("#failed-deliveries tr", new PageLocatorOptions { HasText = deliveryId.ToString() });
        await Assertions.Expect(row).ToContainTextAsync("HTTP 503");
        await sut.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = $"Redeliver {deliveryId}" }).ClickAsync();

        await Assertions.Expect(sut.Page.Locator("#watched-status")).ToHaveTextAsync("SUCCEEDED", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await sut.ShotAsync("redelivered");
        stack.Receiver.ReceivedAt(url).Should().HaveCount(OpsStack.WebhookMaxAttempts + 1);
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await sut.GotoAsync($"/ops/instances/{id}", "instance-with-webhooks");
        await Assertions.Expect(sut.Page.Locator("#timeline")).ToContainTextAsync("redeliver-webhook by test key for operators");
        await Assertions.Expect(sut.Page.Locator("#timeline")).ToContainTextAsync($"{WebhookEventTypes.Ready} attempt {OpsStack.WebhookMaxAttempts + 1}: HTTP 200");
    }

    private async Task<Guid> WaitForFailedDeliveryAsync(Guid instanceId)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var id = await stack.Database.ScalarAsync<Guid?>(
                "SELECT id FROM provisioner.webhook_deliveries WHERE instance_id = $1 AND status = 'FAILED'", instanceId);
            if (id is { } found)
            {
                return found;
            }

            waited.Elapsed.Should().BeLessThan(Deadline, "the delivery should fail after its attempts\n{0}", stack.Logs());
            await Task.Delay(200);
        }
    }
}
