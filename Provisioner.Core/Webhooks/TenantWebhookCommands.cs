using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Webhooks;

/// <summary>A tenant's webhook settings: its default target, and the signing secret (shown once, then only rotated).</summary>
public sealed class TenantWebhookCommands(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock)
{
    public async Task<TenantWebhook?> FindAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TenantWebhooks.AsNoTracking().SingleOrDefaultAsync(t => t.Owner == owner, cancellationToken);
    }

    /// <summary>Sets the default target (the URL already checked by <see cref="WebhookTargetPolicy"/>).</summary>
    /// <returns>The settings, and the secret when this was the tenant's first use of webhooks.</returns>
    public async Task<(TenantWebhook Webhook, string? NewSecret)> SetTargetAsync(
        string owner, string url, IReadOnlyCollection<string>? events, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var newSecret = await TenantWebhookSecrets.EnsureAsync(transaction.GetDbTransaction(), owner, now, cancellationToken);
        var webhook = await db.TenantWebhooks.SingleAsync(t => t.Owner == owner, cancellationToken);
        webhook.SetTarget(url, events, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (webhook, newSecret);
    }

    /// <summary>Removes the default target; the secret stays, for instances that name their own target.</summary>
    /// <returns>False when there was no default target.</returns>
    public async Task<bool> RemoveTargetAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhook = await db.TenantWebhooks.SingleOrDefaultAsync(t => t.Owner == owner, cancellationToken);
        if (webhook?.Url is null)
        {
            return false;
        }

        webhook.RemoveTarget(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>A new secret, made now if the tenant had none; the previous one signs too until the overlap ends.</summary>
    public async Task<TenantWebhook> RotateSecretAsync(string owner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await TenantWebhookSecrets.EnsureAsync(transaction.GetDbTransaction(), owner, now, cancellationToken) is null)
        {
            var existing = await db.TenantWebhooks.SingleAsync(t => t.Owner == owner, cancellationToken);
            existing.RotateSecret(options.CurrentValue.SecretRotationOverlap, now);
            await db.SaveChangesAsync(cancellationToken);
        }

        var webhook = await db.TenantWebhooks.AsNoTracking().SingleAsync(t => t.Owner == owner, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return webhook;
    }
}
