namespace Provisioner.Core.Webhooks;

public enum RedeliveryResult
{
    Redelivered,
    NotFound,

    /// <summary>The delivery is still being tried; it needs no second round.</summary>
    StillPending,
}
