using System.Text.Json.Serialization;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Webhooks;

/// <summary>
/// A tenant's webhook settings. <see cref="Secret"/> appears only in the answer that created or rotated it; after that
/// it is never shown again (rotate to get a new one).
/// </summary>
public sealed record WebhookSettingsResponse(
    string? Url,
    IReadOnlyList<string> Events,
    DateTimeOffset SecretCreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null)
{
    public static WebhookSettingsResponse From(TenantWebhook webhook, DateTimeOffset now, string? shownSecret = null) => new(
        webhook.Url, webhook.Events, webhook.SecretCreatedAt,
        webhook.PreviousSecretExpiresAt > now ? webhook.PreviousSecretExpiresAt : null, shownSecret);
}

public sealed record WebhookSettingsEnvelope(bool Success, WebhookSettingsResponse Webhook);

/// <summary>One delivery: which event went where, how it stands, and (on its own page) every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    string WebhookId,
    Guid? InstanceId,
    string EventType,
    string Url,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int? LastStatusCode,
    string? LastError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WebhookAttemptResponse>? History = null)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d, IReadOnlyList<WebhookAttempt>? attempts = null) => new(
        d.Id, d.MessageId, d.InstanceId, d.EventType, d.Url, d.Status, d.Attempts,
        d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.CreatedAt, d.CompletedAt, d.LastStatusCode, d.LastError,
        attempts?.Select(WebhookAttemptResponse.From).ToList());
}

public sealed record WebhookAttemptResponse(int Number, DateTimeOffset StartedAt, int? StatusCode, int LatencyMs, string? Error, string? ResponseExcerpt)
{
    public static WebhookAttemptResponse From(WebhookAttempt a) => new(a.Number, a.StartedAt, a.StatusCode, a.LatencyMs, a.Error, a.ResponseExcerpt);
}

public sealed record WebhookDeliveryEnvelope(bool Success, WebhookDeliveryResponse Delivery);

public sealed record WebhookDeliveryListEnvelope(bool Success, IReadOnlyList<WebhookDeliveryResponse> Deliveries, int Count, string? NextCursor);
