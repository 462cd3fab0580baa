using Provisioner.Client.Models;

namespace Provisioner.Client;

/// <summary><c>/api/webhook</c> and <c>/api/webhook-deliveries</c>.</summary>
public sealed partial class ProvisionerClient
{
    [ApiOperation("GET", "/api/webhook")]
    public async Task<WebhookSettings> GetWebhookAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<WebhookEnvelope>(HttpMethod.Get, "/api/webhook", null, cancellationToken).ConfigureAwait(false)).Webhook;

    /// <summary>Sets the default webhook; the first time, the answer carries the signing secret (only then).</summary>
    [ApiOperation("PUT", "/api/webhook")]
    public async Task<WebhookSettings> SetWebhookAsync(string url, IReadOnlyList<string>? events = null, CancellationToken cancellationToken = default) =>
        (await SendAsync<WebhookEnvelope>(HttpMethod.Put, "/api/webhook", new SetWebhookBody(url, events), cancellationToken).ConfigureAwait(false)).Webhook;

    [ApiOperation("DELETE", "/api/webhook")]
    public Task RemoveWebhookAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "/api/webhook", cancellationToken);

    /// <summary>A new signing secret (in the answer); the previous one keeps signing for the API's overlap period.</summary>
    [ApiOperation("POST", "/api/webhook/secret")]
    public async Task<WebhookSettings> RotateWebhookSecretAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<WebhookEnvelope>(HttpMethod.Post, "/api/webhook/secret", null, cancellationToken).ConfigureAwait(false)).Webhook;

    [ApiOperation("GET", "/api/webhook-deliveries")]
    public async Task<WebhookDeliveryPage> ListWebhookDeliveriesAsync(WebhookDeliveryQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new WebhookDeliveryQuery();
        var page = await SendAsync<DeliveryListEnvelope>(HttpMethod.Get,
            "/api/webhook-deliveries" + Query(("instanceId", query.InstanceId?.ToString()), ("outcome", query.Outcome),
                ("limit", query.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", query.Cursor)),
            null, cancellationToken).ConfigureAwait(false);
        return new WebhookDeliveryPage(page.Deliveries, page.Count, page.NextCursor);
    }

    /// <summary>One delivery with every attempt made at it.</summary>
    [ApiOperation("GET", "/api/webhook-deliveries/{id}")]
    public async Task<WebhookDelivery> GetWebhookDeliveryAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<DeliveryEnvelope>(HttpMethod.Get, $"/api/webhook-deliveries/{id}", null, cancellationToken).ConfigureAwait(false)).Delivery;

    /// <summary>Sends a delivery that succeeded or failed again (same webhook-id and body).</summary>
    [ApiOperation("POST", "/api/webhook-deliveries/{id}/redeliver")]
    public async Task<WebhookDelivery> RedeliverWebhookAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<DeliveryEnvelope>(HttpMethod.Post, $"/api/webhook-deliveries/{id}/redeliver", null, cancellationToken).ConfigureAwait(false)).Delivery;

    private sealed record SetWebhookBody(string Url, IReadOnlyList<string>? Events);

    private sealed record WebhookEnvelope(WebhookSettings Webhook);

    private sealed record DeliveryEnvelope(WebhookDelivery Delivery);

    private sealed record DeliveryListEnvelope(IReadOnlyList<WebhookDelivery> Deliveries, int Count, string? NextCursor);
}
