namespace Provisioner.Core.Webhooks;

/// <summary>
/// A tenant's webhook settings: its default target (for instances created without one) and the secret that signs
/// every delivery to any of its targets. During a rotation the previous secret signs too, until it expires.
/// </summary>
public sealed class TenantWebhook
{
    private TenantWebhook()
    {
        Owner = Secret = string.Empty;
        Events = [];
    }

    public string Owner { get; private set; }

    /// <summary>The default target; null when the tenant only uses per-instance targets.</summary>
    public string? Url { get; private set; }

    /// <summary>Events sent to <see cref="Url"/>.</summary>
    public string[] Events { get; private set; }

    public string Secret { get; private set; }
    public string? PreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public DateTimeOffset SecretCreatedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>A tenant's first use of webhooks: a new secret, no default target yet.</summary>
    public static TenantWebhook Create(string owner, DateTimeOffset now) => new()
    {
        Owner = owner,
        Events = [.. WebhookEventTypes.Default],
        Secret = WebhookSecret.Generate(),
        SecretCreatedAt = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void SetTarget(string url, IReadOnlyCollection<string>? events, DateTimeOffset now)
    {
        Url = url;
        Events = [.. events ?? WebhookEventTypes.Default];
        UpdatedAt = now;
    }

    public void RemoveTarget(DateTimeOffset now)
    {
        Url = null;
        Events = [.. WebhookEventTypes.Default];
        UpdatedAt = now;
    }

    /// <summary>A new secret; the current one keeps signing for <paramref name="overlap"/> so receivers can switch.</summary>
    public void RotateSecret(TimeSpan overlap, DateTimeOffset now)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + overlap;
        Secret = WebhookSecret.Generate();
        SecretCreatedAt = now;
        UpdatedAt = now;
    }

    /// <summary>The secrets that sign a delivery made at <paramref name="now"/>: the current one first.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];
}
