using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Webhooks;

/// <summary>What a client (or an operator) may do to a delivery: send it again, same id and body.</summary>
public sealed class WebhookDeliveryCommands(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock)
{
    /// <param name="owner">The tenant; null for an operator, who may redeliver any delivery.</param>
    public async Task<RedeliveryResult> RedeliverAsync(string? owner, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(
            d => d.Id == deliveryId && (owner == null || d.Owner == owner), cancellationToken);
        if (delivery is null)
        {
            return RedeliveryResult.NotFound;
        }

        if (!delivery.Redeliver(options.CurrentValue.MaxAttempts, clock.GetUtcNow()))
        {
            return RedeliveryResult.StillPending;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else redelivered it first: it is pending again either way.
            return RedeliveryResult.StillPending;
        }

        await WebhookOutbox.NotifyAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return RedeliveryResult.Redelivered;
    }
}
