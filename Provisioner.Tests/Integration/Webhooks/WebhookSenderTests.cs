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
        await using var harness = await LifecycleHarness.CreateAsync("webhook-twice", webhooks: LoopbackReceiver);
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

    [Fact]
    public async Task Send_StartedBeforeTheRelayCommitsItsTicket_WaitsForTheCommit_AndSends()
    {
        // The relay creates the job, then commits the ticket it gave the delivery: a job thread can start in between.
        await using var harness = await LifecycleHarness.CreateAsync("webhook-early-job", webhooks: LoopbackReceiver);
        var url = _receiver.Endpoint(ReceiverBehaviour.Ok);
        var (deliveryId, _) = await PendingDeliveryAsync(harness, url);
        var ticket = Guid.NewGuid();
        await using var relay = await harness.Database.DataSource.OpenConnectionAsync();
        await using var handOff = await relay.BeginTransactionAsync();
        await using (var mark = new Npgsql.NpgsqlCommand("UPDATE provisioner.webhook_deliveries SET ticket = $1, job_id = '2', handed_off_at = now() WHERE id = $2", relay, handOff))
        {
            mark.Parameters.Add(new() { Value = ticket });
            mark.Parameters.Add(new() { Value = deliveryId });
            await mark.ExecuteNonQueryAsync();
        }

        var sending = harness.Get<WebhookSender>().SendAsync(deliveryId, ticket, CancellationToken.None);
        await WaitUntilBlockedOnARowLockAsync(harness);
        await handOff.CommitAsync();

        (await sending).Should().Be(WebhookSendResult.Attempted, "the job waits for the relay's commit instead of calling its ticket stale");
        _receiver.ReceivedAt(url).Should().ContainSingle();
    }

    /// <summary>Until another session waits on a row lock: the sender has read up to the relay's uncommitted hand-off.</summary>
    private static async Task WaitUntilBlockedOnARowLockAsync(LifecycleHarness harness)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await harness.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the sender should be waiting for the relay's row lock");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Send_ToAReceiverAnsweringWithANulByte_RecordsTheAnswerSafely()
    {
        // PostgreSQL refuses NUL in text: the excerpt could not be saved, the job failed and was retried for ever.
        await using var harness = await LifecycleHarness.CreateAsync("webhook-nul", webhooks: LoopbackReceiver);
        var url = _receiver.Endpoint(ReceiverBehaviour.Bytes("ok\0done"u8.ToArray()));
        var (deliveryId, ticket) = await PendingDeliveryAsync(harness, url);

        var result = await harness.Get<WebhookSender>().SendAsync(deliveryId, ticket, CancellationToken.None);

        result.Should().Be(WebhookSendResult.Attempted);
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        var attempt = await db.WebhookAttempts.SingleAsync(a => a.DeliveryId == deliveryId);
        (attempt.StatusCode, attempt.Error, attempt.ResponseExcerpt).Should().Be((200, null, "ok\uFFFDdone"));
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId);
        (delivery.Status, delivery.Attempts).Should().Be((WebhookDeliveryStatus.Succeeded, 1));
    }

    [Fact]
    public async Task Send_ToAReceiverWhoseAnswerEndsEarly_RecordsAFailedAttempt_CountedTowardTheLimit()
    {
        // The body is shorter than its Content-Length: reading it throws HttpIOException, which used to escape.
        await using var harness = await LifecycleHarness.CreateAsync("webhook-short", webhooks: LoopbackReceiver);
        var url = _receiver.Endpoint(ReceiverBehaviour.EndsEarly("partial"u8.ToArray(), declared: 4096));
        var (deliveryId, ticket) = await PendingDeliveryAsync(harness, url, attemptLimit: 1);

        var result = await harness.Get<WebhookSender>().SendAsync(deliveryId, ticket, CancellationToken.None);

        result.Should().Be(WebhookSendResult.Attempted);
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        var attempt = await db.WebhookAttempts.SingleAsync(a => a.DeliveryId == deliveryId);
        attempt.StatusCode.Should().Be(200);
        attempt.Error.Should().StartWith("the answer broke off");
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId);
        (delivery.Status, delivery.Attempts).Should().Be((WebhookDeliveryStatus.Failed, 1), "a broken answer is an attempt that failed, and the limit was 1");
    }

    private void LoopbackReceiver(WebhookOptions options)
    {
        options.AllowHttp = true;
        options.AllowedHosts = [_receiver.BaseUrl.Authority];
    }

    /// <summary>A pending delivery for a new instance of the harness's tenant, handed off as the relay would (a ticket set).</summary>
    private static async Task<(Guid Id, Guid Ticket)> PendingDeliveryAsync(LifecycleHarness harness, string url, int attemptLimit = 3)
    {
        var instance = await harness.CreateAsync();
        var now = harness.Clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using (var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext())
        {
            db.TenantWebhooks.Add(TenantWebhook.Create(LifecycleHarness.Tenant, now));
            db.WebhookDeliveries.Add(WebhookDelivery.Create(id, LifecycleHarness.Tenant, instance.Id, WebhookEventTypes.Ready, url, "{}", attemptLimit, now));
            await db.SaveChangesAsync();
        }

        var ticket = Guid.NewGuid();
        await harness.Database.ExecuteAsync($"UPDATE provisioner.webhook_deliveries SET ticket = '{ticket}', job_id = '1', handed_off_at = now() WHERE id = '{id}'");
        return (id, ticket);
    }
}
