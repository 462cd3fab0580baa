namespace Provisioner.Core.Webhooks;

/// <summary>What a delivery job did.</summary>
public enum WebhookSendResult
{
    /// <summary>An attempt was made and recorded (received, failed for good, or to be tried again).</summary>
    Attempted,

    /// <summary>The job's ticket was no longer current (a repeat run, or a redelivery since): nothing sent.</summary>
    Stale,

    /// <summary>The receiver's host had its share of deliveries in flight: put back without counting an attempt.</summary>
    Deferred,
}
