namespace Provisioner.Core.Billing;

/// <summary>When a cloud stops charging for a machine.</summary>
public enum BillingStop
{
    /// <summary>When the machine is confirmed gone (deleted, released).</summary>
    Released,

    /// <summary>When the cloud accepts the stop (EC2: the machine enters <c>shutting-down</c>).</summary>
    StopAccepted,
}
