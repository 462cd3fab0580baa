using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Ops.Queries;

/// <summary>A receiver whose deliveries are failing now: tried, refused, and still to be tried again.</summary>
/// <param name="Retrying">Its deliveries waiting for another attempt.</param>
/// <param name="MostAttempts">The most attempts any of them has had: how long it has been failing.</param>
internal sealed record FailingReceiver(string Owner, string Url, int Retrying, int MostAttempts, DateTimeOffset LastTriedAt, int? LastStatusCode, string? LastError, DateTimeOffset NextAttemptAt);

/// <summary>The Webhooks page's reads: receivers failing now, and failed deliveries of every tenant, newest first.</summary>
internal sealed class OpsWebhookQueries(IDbContextFactory<ProvisionerDbContext> dbFactory)
{
    public const int Limit = 100;

    /// <summary>Pending deliveries looked at to find the failing receivers; the page says when there were more.</summary>
    public const int FailingScan = 2000;

    /// <summary>Receivers (tenant and URL) with deliveries that failed and wait to be tried again, the longest failing first.</summary>
    public async Task<IReadOnlyList<FailingReceiver>> FailingNowAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var retrying = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.Attempts > 0)
            .OrderByDescending(d => d.UpdatedAt)
            .Take(FailingScan)
            .Select(d => new { d.Owner, d.Url, d.Attempts, d.UpdatedAt, d.LastStatusCode, d.LastError, d.NextAttemptAt })
            .ToListAsync(cancellationToken);
        return [.. retrying
            .GroupBy(d => (d.Owner, d.Url))
            .Select(g =>
            {
                var latest = g.First(); // ordered newest first
                return new FailingReceiver(g.Key.Owner, g.Key.Url, g.Count(), g.Max(d => d.Attempts), latest.UpdatedAt,
                    latest.LastStatusCode, latest.LastError, g.Min(d => d.NextAttemptAt));
            })
            .OrderByDescending(r => r.MostAttempts).ThenBy(r => r.Url, StringComparer.Ordinal)
            .Take(Limit)];
    }

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
