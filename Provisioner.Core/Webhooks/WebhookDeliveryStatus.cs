namespace Provisioner.Core.Webhooks;

/// <summary>Where a delivery is: still being tried, received (a 2xx), or given up on after its last attempt.</summary>
public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
}
