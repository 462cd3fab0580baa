namespace Provisioner.Core.Webhooks;

/// <summary>
/// One event for one target, written in the transaction of the transition that raised it (the outbox), then tried
/// until a 2xx or its last attempt. Its id is the <c>webhook-id</c> of every attempt, so receivers can de-duplicate.
/// The body is stored as sent: retries and redeliveries send the same bytes.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
        Owner = EventType = Url = Payload = string.Empty;
    }

    public Guid Id { get; private set; }
    public string Owner { get; private set; }
    /// <summary>The instance the event is about; null for a tenant's own events (budget thresholds).</summary>
    public Guid? InstanceId { get; private set; }
    public string EventType { get; private set; }
    public string Url { get; private set; }
    public string Payload { get; private set; }
    public WebhookDeliveryStatus Status { get; private set; }

    /// <summary>Attempts made so far, over every redelivery.</summary>
    public int Attempts { get; private set; }

    /// <summary>The attempt after which the delivery fails; a redelivery grants another round.</summary>
    public int AttemptLimit { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>Set when the relay hands the delivery to a job, cleared when that job claims it: a job whose ticket is gone does nothing.</summary>
    public Guid? Ticket { get; private set; }

    public string? JobId { get; private set; }
    public DateTimeOffset? HandedOffAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Optimistic concurrency token (PostgreSQL <c>xmin</c>): a job and a redelivery never both win.</summary>
    public uint Version { get; private set; }

    /// <summary>The <c>webhook-id</c>: the same on every attempt.</summary>
    public string MessageId => MessageIdOf(Id);

    public static string MessageIdOf(Guid id) => "msg_" + id.ToString("N");

    public static WebhookDelivery Create(Guid id, string owner, Guid? instanceId, string eventType, string url, string payload, int attemptLimit, DateTimeOffset now) => new()
    {
        Id = id,
        Owner = owner,
        InstanceId = instanceId,
        EventType = eventType,
        Url = url,
        Payload = payload,
        Status = WebhookDeliveryStatus.Pending,
        AttemptLimit = attemptLimit,
        NextAttemptAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>A job takes the delivery it was handed; a second run of the same job (the engine allows it) finds nothing to take.</summary>
    public bool Claim(Guid ticket, DateTimeOffset now)
    {
        if (Status != WebhookDeliveryStatus.Pending || Ticket != ticket)
        {
            return false;
        }

        Ticket = null;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Records an attempt: a 2xx ends the delivery, the last failure fails it, any other waits <paramref name="retryDelay"/>.</summary>
    public void Record(WebhookAttempt attempt, TimeSpan retryDelay, DateTimeOffset now)
    {
        Attempts = attempt.Number;
        LastStatusCode = attempt.StatusCode;
        LastError = attempt.Error;
        JobId = null;
        HandedOffAt = null;
        UpdatedAt = now;
        if (attempt.Succeeded)
        {
            Status = WebhookDeliveryStatus.Succeeded;
            CompletedAt = now;
        }
        else if (Attempts >= AttemptLimit)
        {
            Status = WebhookDeliveryStatus.Failed;
            CompletedAt = now;
        }
        else
        {
            NextAttemptAt = now + retryDelay;
        }
    }

    /// <summary>Puts a claimed delivery back without an attempt (its receiver is busy with others): tried again after <paramref name="delay"/>.</summary>
    public void Defer(TimeSpan delay, DateTimeOffset now)
    {
        JobId = null;
        HandedOffAt = null;
        NextAttemptAt = now + delay;
        UpdatedAt = now;
    }

    /// <summary>Another round of attempts for a delivery that ended, with the same id and body.</summary>
    /// <returns>False while the delivery is still being tried.</returns>
    public bool Redeliver(int attempts, DateTimeOffset now)
    {
        if (Status == WebhookDeliveryStatus.Pending)
        {
            return false;
        }

        Status = WebhookDeliveryStatus.Pending;
        AttemptLimit = Attempts + attempts;
        NextAttemptAt = now;
        Ticket = null;
        JobId = null;
        HandedOffAt = null;
        CompletedAt = null;
        UpdatedAt = now;
        return true;
    }
}
