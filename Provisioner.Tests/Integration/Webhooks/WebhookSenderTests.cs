using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Fakes.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Webhooks;

/// <summary>One delivery attempt, run by hand on a real database against a real receiver.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Send_ToATargetThatNowResolvesInward_IsRefusedAtConnect_AndRecorded()
    {
        // Accepted at registration (say the name resolved outward then); by delivery time it points at 127.0.0.1,
        // which nothing exempts here: the connection itself is refused, not just the registration.
        await using var harness = await LifecycleHarness.CreateAsync("webhook-rebind", webhooks: o => o.AllowHttp = true);
        var url = _receiver.Endpoint(ReceiverBehaviour.Ok);
        var (deliveryId, ticket) = await PendingDeliveryAsync(harness, url);

        var result = await harness.Get<WebhookSender>().SendAsync(deliveryId, ticket, CancellationToken.None);

        result.Should().Be(WebhookSendResult.Attempted);
        _receiver.ReceivedAt(url).Should().BeEmpty("nothing may reach an internal address");
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        var attempt = await db.WebhookAttempts.SingleAsync(a => a.DeliveryId == deliveryId);
        attempt.StatusCode.Should().BeNull();
        attempt.Error.Should().StartWith("target refused:").And.Contain("127.0.0.1");
    }

    [Fact]
    public async Task Send_TheSameJobTwice_SendsOnce()
    {
        await using var harness = await LifecycleHarness.CreateAsync("webhook-twice", webhooks: o =>
        {
            o.AllowHttp = true;
            o.AllowedHosts = ["127.0.0.1"];
        });
        var url = _receiver.Endpoint(ReceiverBehaviour.Ok);
        var (deliveryId, ticket) = await PendingDeliveryAsync(harness, url);
        var sut = harness.Get<WebhookSender>();

        var first = await sut.SendAsync(deliveryId, ticket, CancellationToken.None);
        var second = await sut.SendAsync(deliveryId, ticket, CancellationToken.None);
        var stranger = await sut.SendAsync(deliveryId, Guid.NewGuid(), CancellationToken.None);

        (first, second, stranger).Should().Be((WebhookSendResult.Attempted, WebhookSendResult.Stale, WebhookSendResult.Stale));
        _receiver.ReceivedAt(url).Should().ContainSingle();
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        (await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId)).Status.Should().Be(WebhookDeliveryStatus.Succeeded);
    }

    /// <summary>A pending delivery for a new instance of the harness's tenant, handed off as the relay would (a ticket set).</summary>
    private static async Task<(Guid Id, Guid Ticket)> PendingDeliveryAsync(LifecycleHarness harness, string url)
    {
        var instance = await harness.CreateAsync();
        var now = harness.Clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using (var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext())
        {
            db.TenantWebhooks.Add(TenantWebhook.Create(LifecycleHarness.Tenant, now));
            db.WebhookDeliveries.Add(WebhookDelivery.Create(id, LifecycleHarness.Tenant, instance.Id, WebhookEventTypes.Ready, url, "{}", 3, now));
            await db.SaveChangesAsync();
        }

        var ticket = Guid.NewGuid();
        await harness.Database.ExecuteAsync($"UPDATE provisioner.webhook_deliveries SET ticket = '{ticket}', job_id = '1', handed_off_at = now() WHERE id = '{id}'");
        return (id, ticket);
    }
}
