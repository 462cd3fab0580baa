namespace Provisioner.Core.Webhooks;

/// <summary>One try at a delivery: what the receiver answered (or why there was no answer) and how long it took.</summary>
public sealed class WebhookAttempt
{
    public const int MaxErrorLength = 500;
    public const int MaxExcerptLength = 1024;

    private WebhookAttempt()
    {
    }

    public WebhookAttempt(Guid deliveryId, int number, DateTimeOffset startedAt, int? statusCode, int latencyMs, string? error, string? responseExcerpt)
    {
        DeliveryId = deliveryId;
        Number = number;
        StartedAt = startedAt;
        StatusCode = statusCode;
        LatencyMs = latencyMs;
        Error = StorableText.Of(error, MaxErrorLength);
        ResponseExcerpt = StorableText.Of(responseExcerpt, MaxExcerptLength);
    }

    public long Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Null when no response came (timeout, refused connection, a target refused by policy).</summary>
    public int? StatusCode { get; private set; }

    public int LatencyMs { get; private set; }
    public string? Error { get; private set; }
    public string? ResponseExcerpt { get; private set; }

    /// <summary>A 2xx whose answer also arrived whole (one that broke off carries an <see cref="Error"/>).</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300 && Error is null;
}
