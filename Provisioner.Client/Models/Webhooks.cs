namespace Provisioner.Client.Models;

/// <summary>The tenant's default webhook. <see cref="Secret"/> is there only in the answer that made or rotated it.</summary>
public sealed record WebhookSettings(
    string? Url, IReadOnlyList<string> Events, DateTimeOffset SecretCreatedAt, DateTimeOffset? PreviousSecretExpiresAt, string? Secret = null);

/// <summary>One webhook delivery; <see cref="History"/> (every attempt) only when read on its own.</summary>
public sealed record WebhookDelivery(
    Guid Id,
    string WebhookId,
    Guid? InstanceId,
    string EventType,
    string Url,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int? LastStatusCode,
    string? LastError,
    IReadOnlyList<WebhookAttempt>? History = null);

public sealed record WebhookAttempt(int Number, DateTimeOffset StartedAt, int? StatusCode, int LatencyMs, string? Error, string? ResponseExcerpt);

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDelivery> Deliveries, int Count, string? NextCursor);

/// <param name="Outcome"><c>pending</c>, <c>succeeded</c> or <c>failed</c>.</param>
public sealed record WebhookDeliveryQuery(Guid? InstanceId = null, string? Outcome = null, int? Limit = null, string? Cursor = null);
