using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Webhooks;

/// <summary>Webhooks' log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class WebhooksLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} ({EventType}) attempt {Attempt}: {Outcome}; delivery {Status}")]
    public static partial void DeliveryAttempted(this ILogger logger, Guid deliveryId, string eventType, int attempt, string? outcome, WebhookDeliveryStatus status);
}
