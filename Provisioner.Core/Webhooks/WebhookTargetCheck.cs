namespace Provisioner.Core.Webhooks;

/// <summary>Whether a webhook target may be called, and if not, why, in words for the client.</summary>
public sealed record WebhookTargetCheck(bool Allowed, string? Reason)
{
    public static readonly WebhookTargetCheck Ok = new(true, null);

    public static WebhookTargetCheck Refused(string reason) => new(false, reason);
}
