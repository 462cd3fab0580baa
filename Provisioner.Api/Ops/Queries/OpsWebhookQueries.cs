using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Ops.Queries;

/// <summary>The Webhooks page's reads: failed deliveries of every tenant, newest first.</summary>
internal sealed class OpsWebhookQueries(IDbContextFactory<ProvisionerDbContext> dbFactory)
{
    public const int Limit = 100;

    public async Task<IReadOnlyList<WebhookDelivery>> FailedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Failed)
            .OrderByDescending(d => d.CompletedAt).ThenBy(d => d.Id)
            .Take(Limit)
            .ToListAsync(cancellationToken);
    }

    public async Task<WebhookDelivery?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
    }
}
