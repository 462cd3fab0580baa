using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Turns an instance's new lifecycle events into deliveries, inside the transaction that records them: an event is
/// delivered if and only if its transition commits, and nothing is sent from the request or the step that caused it.
/// </summary>
public sealed class WebhookOutbox(IOptionsMonitor<WebhookOptions> options)
{
    /// <summary>Notified on commit of new deliveries; the webhook relay listens.</summary>
    public const string Channel = "provisioner_webhooks";

    // Compiled once: every lifecycle move of an instance without a URL of its own reads its tenant's default target,
    // and an uncompiled query pays for the translation-cache lookup of its expression tree on each call.
    private static readonly Func<ProvisionerDbContext, string, CancellationToken, Task<TenantWebhookTarget?>> TenantTarget =
        EF.CompileAsyncQuery((ProvisionerDbContext db, string owner, CancellationToken _) =>
            db.TenantWebhooks.AsNoTracking()
                .Where(t => t.Owner == owner && t.Url != null)
                .Select(t => new TenantWebhookTarget(t.Url!, t.Events))
                .SingleOrDefault());

    /// <summary>Adds the deliveries the instance's new events call for to <paramref name="db"/>, unsaved.</summary>
    /// <param name="tenantTarget">The tenant's default target when the caller already read it (the create does, in its
    /// first batch); null to read it here when the instance names no URL of its own.</param>
    /// <returns>Whether any were added (then <see cref="NotifyAsync"/> belongs in the same transaction).</returns>
    public async Task<bool> CaptureAsync(ProvisionerDbContext db, Instance instance, DateTimeOffset now, CancellationToken cancellationToken,
        TenantWebhookLookup? tenantTarget = null)
    {
        db.ChangeTracker.DetectChanges();
        var raised = instance.Events.Where(e => db.Entry(e).State == EntityState.Added).ToList();
        if (raised.Count == 0)
        {
            return false;
        }

        var url = instance.WebhookUrl;
        IReadOnlyCollection<string>? subscribed = instance.WebhookEvents;
        if (url is null)
        {
            var tenant = tenantTarget is { } known ? known.Target : await TenantTarget(db, instance.Owner, cancellationToken);
            if (tenant is null)
            {
                return false;
            }

            (url, subscribed) = (tenant.Url, tenant.Events);
        }

        var added = false;
        var data = InstanceResponse.From(instance, now);
        foreach (var raisedEvent in raised)
        {
            var type = WebhookEventTypes.For(raisedEvent);
            if (!WebhookEventTypes.Includes(subscribed, type))
            {
                continue;
            }

            var id = Guid.CreateVersion7(now);
            var body = JsonSerializer.Serialize(new WebhookEventBody(WebhookDelivery.MessageIdOf(id), type, raisedEvent.At, data), ProvisionerJson.Options);
            db.WebhookDeliveries.Add(WebhookDelivery.Create(id, instance.Owner, instance.Id, type, url!, body, options.CurrentValue.MaxAttempts, now));
            added = true;
        }

        return added;
    }

    /// <summary>Adds a delivery of a tenant's own event (not about one instance) to its default target, if it has one.</summary>
    /// <returns>Whether one was added.</returns>
    public async Task<bool> CaptureTenantEventAsync(ProvisionerDbContext db, string owner, string type, object data, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var url = await db.TenantWebhooks.AsNoTracking().Where(t => t.Owner == owner && t.Url != null).Select(t => t.Url).SingleOrDefaultAsync(cancellationToken);
        if (url is null)
        {
            return false;
        }

        var id = Guid.CreateVersion7(now);
        var body = JsonSerializer.Serialize(new WebhookEventBody(WebhookDelivery.MessageIdOf(id), type, now, data), ProvisionerJson.Options);
        db.WebhookDeliveries.Add(WebhookDelivery.Create(id, owner, null, type, url, body, options.CurrentValue.MaxAttempts, now));
        return true;
    }

    /// <summary>Wakes the relays when the caller's transaction commits (PostgreSQL delivers notifications on commit).</summary>
    public static Task NotifyAsync(ProvisionerDbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync($"SELECT pg_notify('{Channel}', '')", cancellationToken);
}
