using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Api.Webhooks;
using Provisioner.Core.Instances;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Fakes.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Webhooks;

/// <summary>Webhooks end to end: API and worker processes, the simulated cloud, a real receiver on loopback.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookStack stack)
{
    // Generous: a retry waits for the worker's poll of scheduled jobs, and the whole suite may share two busy cores.
    // A passing run never waits for it.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ReadyAndTerminated_ArriveOnceEach_SignedWithTheTenantsSecret()
    {
        using var client = await stack.NewTenantAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.Ok);

        var created = await CreateAsync(client, url);
        created.WebhookSecret.Should().StartWith(WebhookSecret.Prefix, "a tenant's first webhook answers with its signing secret, once");
        var id = created.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Deadline, client);
        (await client.DeleteAsync($"/api/instances/{id}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Deadline, client);

        var received = await stack.Receiver.WaitForAsync(url, 2, Deadline);
        await WaitForNoPendingAsync(client, id);
        received = stack.Receiver.ReceivedAt(url);
        received.Should().HaveCount(2, "ready and terminated are sent once each, and nothing else by default");
        var bodies = received.Select(r => JsonNode.Parse(r.Body)!).ToList();
        bodies.Select(b => (string)b["type"]!).Should().Equal(WebhookEventTypes.Ready, WebhookEventTypes.Terminated);
        bodies.Select(b => (string)b["data"]!["status"]!).Should().Equal("READY", "TERMINATED");
        bodies.Should().AllSatisfy(b => ((Guid)b["data"]!["id"]!).Should().Be(id));
        foreach (var request in received)
        {
            var webhookId = request.Header("webhook-id");
            webhookId.Should().Be((string)JsonNode.Parse(request.Body)!["id"]!, "the header and the body name the same event");
            long.Parse(request.Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture)
                .Should().BeCloseTo(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), 120);
            WebhookAssertions.IsSignedWith(created.WebhookSecret!, webhookId, request.Header("webhook-timestamp"), request.Body, request.Header("webhook-signature"))
                .Should().BeTrue($"the signature '{request.Header("webhook-signature")}' must verify with the tenant's secret");
            request.Header("content-type").Should().StartWith("application/json");
        }

        var terminated = JsonNode.Parse(received[1].Body)!["data"]!;
        ((decimal)terminated["totalCost"]!).Should().BeGreaterThanOrEqualTo(0m);
        var list = await client.GetFromJsonAsync<WebhookDeliveryListEnvelope>($"/api/webhook-deliveries?instanceId={id}&outcome=succeeded", ProvisionerStack.Json);
        list!.Deliveries.Should().HaveCount(2).And.AllSatisfy(d => d.Attempts.Should().Be(1));
    }

    [Fact]
    public async Task ReceiverFailingTwice_GetsTheEventOnTheThirdAttempt_WithTheSameId()
    {
        using var client = await stack.NewTenantAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.FailFirstThenOk(2));

        var created = await CreateAsync(client, url, events: [WebhookEventTypes.Ready]);
        await stack.WaitForStatusAsync(created.Instance.Id, InstanceStatus.Ready, Deadline, client);

        var received = await stack.Receiver.WaitForAsync(url, 3, Deadline);
        received.Select(r => r.Header("webhook-id")).Distinct().Should().ContainSingle("a retry is the same event, which receivers de-duplicate by id");
        received.Select(r => r.Body).Distinct().Should().ContainSingle("a retry sends the same bytes");
        var delivery = await DeliveryOfAsync(client, created.Instance.Id, WebhookEventTypes.Ready);
        delivery = await WebhookStack.WaitForDeliveryAsync(client, delivery.Id, WebhookDeliveryStatus.Succeeded, Deadline);
        delivery.Attempts.Should().Be(3);
        delivery.History!.Select(a => a.StatusCode).Should().Equal(500, 500, 200);
        delivery.History!.Should().AllSatisfy(a => a.ResponseExcerpt.Should().StartWith("received #"));
        delivery.WebhookId.Should().Be(received[0].Header("webhook-id"));
    }

    [Fact]
    public async Task ReceiverAlwaysFailing_EndsFailed_AndARedeliverySucceedsOnceItRecovers()
    {
        using var client = await stack.NewTenantAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.AlwaysFail(503));

        var created = await CreateAsync(client, url, events: [WebhookEventTypes.Ready]);
        await stack.WaitForStatusAsync(created.Instance.Id, InstanceStatus.Ready, Deadline, client);
        var delivery = await DeliveryOfAsync(client, created.Instance.Id, WebhookEventTypes.Ready);
        delivery = await WebhookStack.WaitForDeliveryAsync(client, delivery.Id, WebhookDeliveryStatus.Failed, Deadline);
        delivery.Attempts.Should().Be(WebhookStack.MaxAttempts);
        delivery.LastStatusCode.Should().Be(503);
        (await client.GetFromJsonAsync<WebhookDeliveryListEnvelope>($"/api/webhook-deliveries?outcome=failed", ProvisionerStack.Json))!
            .Deliveries.Select(d => d.Id).Should().Equal(delivery.Id);

        stack.Receiver.Change(url, ReceiverBehaviour.Ok);
        var redeliver = await client.PostAsync($"/api/webhook-deliveries/{delivery.Id}/redeliver", null);
        redeliver.StatusCode.Should().Be(HttpStatusCode.Accepted);
        delivery = await WebhookStack.WaitForDeliveryAsync(client, delivery.Id, WebhookDeliveryStatus.Succeeded, Deadline);

        delivery.Attempts.Should().Be(WebhookStack.MaxAttempts + 1);
        var received = stack.Receiver.ReceivedAt(url);
        received.Should().HaveCount(WebhookStack.MaxAttempts + 1);
        received.Select(r => r.Header("webhook-id")).Distinct().Should().Equal(delivery.WebhookId);
        (await client.PostAsync($"/api/webhook-deliveries/{Guid.NewGuid()}/redeliver", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReceiverThatHangs_DoesNotSlowTheLifecycle()
    {
        using var client = await stack.NewTenantAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // Every transition is an event, each held open for as long as the attempt timeout (30 s) allows.
            var url = stack.Receiver.Endpoint(ReceiverBehaviour.HangUntil(release));
            var created = await CreateAsync(client, url, events: [WebhookEventTypes.All]);
            var id = created.Instance.Id;

            var (ready, seen) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Deadline, client);
            (await client.DeleteAsync($"/api/instances/{id}")).EnsureSuccessStatusCode();
            var (terminated, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Deadline, client);

            stack.Receiver.ReceivedAt(url).Should().NotBeEmpty("the receiver was being called, and held the call open, while the instance moved on");
            // The records' own times, so a slow poll adds nothing; below the one held call's 30 s with room for a loaded machine.
            (ready.ReadyAt!.Value - ready.CreatedAt).Should().BeLessThan(TimeSpan.FromSeconds(25),
                "with deliveries in the lifecycle's path the first held call alone would take 30 s");
            terminated.TerminatedAt.Should().NotBeNull();
            seen.Should().Contain(InstanceStatus.Ready);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task EveryTransition_IsSentWhenAskedFor_StampedInTheOrderItHappened()
    {
        using var client = await stack.NewTenantAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.Ok);

        var created = await CreateAsync(client, url, events: [WebhookEventTypes.All]);
        await stack.WaitForStatusAsync(created.Instance.Id, InstanceStatus.Ready, Deadline, client);
        // Deliveries are independent jobs, so they may arrive in any order (the first three to arrive need not be the
        // first three events); each event's timestamp gives the order once all three are in.
        string[] first = ["instance.provisioning", "instance.configuring", "instance.ready"];
        var received = await stack.Receiver.WaitForAsync(url, r => first.All(type => r.Any(w => TypeOf(w) == type)), string.Join(", ", first), Deadline);

        // Delivery is at least once: a job run again (its worker slow to report it on a loaded machine) sends the same
        // event again, with the same id, which receivers de-duplicate; the order is of the events, not of the sends.
        // Two moves settled by one look (booted and configured by the time it asks) share their instant, so the stamps
        // must not go backwards along the lifecycle; equal ones are simultaneous.
        var stamps = received.Select(r => JsonNode.Parse(r.Body)!).DistinctBy(b => (string)b["id"]!)
            .GroupBy(b => (string)b["type"]!)
            .ToDictionary(g => g.Key, g => g.Min(b => (DateTimeOffset)b["timestamp"]!));
        var arrival = string.Join(", ", received.Select(TypeOf));
        stamps[first[0]].Should().BeOnOrBefore(stamps[first[1]], "received (in arrival order): {0}", arrival);
        stamps[first[1]].Should().BeOnOrBefore(stamps[first[2]], "received (in arrival order): {0}", arrival);
    }

    private static string TypeOf(ReceivedWebhook webhook) => (string)JsonNode.Parse(webhook.Body)!["type"]!;

    [Fact]
    public async Task DefaultWebhook_DuringARotation_IsSignedByBothSecrets()
    {
        using var client = await stack.NewTenantAsync();
        var url = stack.Receiver.Endpoint(ReceiverBehaviour.Ok);

        var set = await client.PutAsJsonAsync("/api/webhook", new { url, events = new[] { WebhookEventTypes.Ready } });
        set.StatusCode.Should().Be(HttpStatusCode.OK);
        var first = (await set.Content.ReadFromJsonAsync<WebhookSettingsEnvelope>(ProvisionerStack.Json))!.Webhook.Secret;
        first.Should().StartWith(WebhookSecret.Prefix);
        var again = (await (await client.PutAsJsonAsync("/api/webhook", new { url })).Content.ReadFromJsonAsync<WebhookSettingsEnvelope>(ProvisionerStack.Json))!;
        again.Webhook.Secret.Should().BeNull("a secret is shown once");
        again.Webhook.Events.Should().Equal(WebhookEventTypes.Default);

        var rotated = (await (await client.PostAsync("/api/webhook/secret", null)).Content.ReadFromJsonAsync<WebhookSettingsEnvelope>(ProvisionerStack.Json))!.Webhook;
        rotated.Secret.Should().StartWith(WebhookSecret.Prefix).And.NotBe(first);
        rotated.PreviousSecretExpiresAt.Should().BeCloseTo(TimeProvider.System.GetUtcNow().AddHours(1), TimeSpan.FromMinutes(1));
        var read = await client.GetStringAsync("/api/webhook");
        read.Should().NotContain(first!).And.NotContain(rotated.Secret!).And.NotContain("\"secret\"");

        // No webhookUrl: the tenant's default target gets the events.
        var created = await CreateAsync(client, url: null);
        created.WebhookSecret.Should().BeNull();
        await stack.WaitForStatusAsync(created.Instance.Id, InstanceStatus.Ready, Deadline, client);
        var request = (await stack.Receiver.WaitForAsync(url, 1, Deadline))[0];

        var (id, timestamp, signature) = (request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"));
        signature.Split(' ').Should().HaveCount(2);
        WebhookAssertions.IsSignedWith(rotated.Secret!, id, timestamp, request.Body, signature).Should().BeTrue("the new secret signs");
        WebhookAssertions.IsSignedWith(first!, id, timestamp, request.Body, signature).Should().BeTrue("the old secret signs until the overlap ends");

        (await client.DeleteAsync("/api/webhook")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.DeleteAsync("/api/webhook")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static async Task<InstanceEnvelope> CreateAsync(HttpClient client, string? url, string[]? events = null)
    {
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        if (url is not null)
        {
            body["webhookUrl"] = url;
        }

        if (events is not null)
        {
            body["webhookEvents"] = new JsonArray([.. events.Select(e => JsonValue.Create(e))]);
        }

        var response = await client.PostAsJsonAsync("/api/instances", body);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!;
    }

    private static async Task<WebhookDeliveryResponse> DeliveryOfAsync(HttpClient client, Guid instanceId, string eventType)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var list = await client.GetFromJsonAsync<WebhookDeliveryListEnvelope>($"/api/webhook-deliveries?instanceId={instanceId}", ProvisionerStack.Json);
            if (list!.Deliveries.FirstOrDefault(d => d.EventType == eventType) is { } delivery)
            {
                return delivery;
            }

            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(100);
        }
    }

    private static async Task WaitForNoPendingAsync(HttpClient client, Guid instanceId)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while ((await client.GetFromJsonAsync<WebhookDeliveryListEnvelope>($"/api/webhook-deliveries?instanceId={instanceId}&outcome=pending", ProvisionerStack.Json))!.Count > 0)
        {
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Delay(100);
        }
    }
}
