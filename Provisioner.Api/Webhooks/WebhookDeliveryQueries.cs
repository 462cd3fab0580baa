using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Webhooks;

/// <summary>A tenant's deliveries, newest first, read without tracking.</summary>
public sealed class WebhookDeliveryQueries(IDbContextFactory<ProvisionerDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<WebhookDelivery> Page, ListCursor? Next)> ListAsync(
        string owner, Guid? instanceId, WebhookDeliveryStatus? status, int limit, ListCursor? after, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.Owner == owner);
        if (instanceId is { } instance)
        {
            query = query.Where(d => d.InstanceId == instance);
        }

        if (status is { } wanted)
        {
            query = query.Where(d => d.Status == wanted);
        }

        if (after is { } cursor)
        {
            query = query.Where(d => d.CreatedAt < cursor.CreatedAt || (d.CreatedAt == cursor.CreatedAt && d.Id < cursor.Id));
        }

        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();
        return (page, rows.Count > limit ? new ListCursor(page[^1].CreatedAt, page[^1].Id) : null);
    }

    public async Task<(WebhookDelivery Delivery, IReadOnlyList<WebhookAttempt> Attempts)?> FindAsync(string owner, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.Owner == owner, cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Number).ToListAsync(cancellationToken);
        return (delivery, attempts);
    }
}
