using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Operations;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Ops.Queries;

/// <summary>An instance as the console lists it.</summary>
/// <param name="FailureReason">The cloud's (or the lifecycle's) words for a FAILED instance: what triage starts from.</param>
internal sealed record InstanceRow(
    Guid Id, string Owner, string UserId, InstanceStatus Status, CloudProviderName Provider, string InstanceType, string Region,
    DateTimeOffset CreatedAt, decimal TotalCost, string? FailureReason);

/// <summary>One page of a search; <see cref="Total"/> counts every match, <see cref="HasNext"/> says whether another page follows.</summary>
internal sealed record InstancePage(IReadOnlyList<InstanceRow> Rows, bool HasNext, int Total);

/// <summary>One line of an instance's timeline: a lifecycle event, a webhook attempt or an operator's action, in time order.</summary>
internal sealed record TimelineEntry(DateTimeOffset At, string Kind, string What);

/// <summary>An instance with everything its page shows.</summary>
/// <param name="PendingWork">The steps still to run (the cloud calls in progress), each with its attempt and its job.</param>
internal sealed record InstanceDetail(
    Instance Instance, decimal CostSoFar, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<WebhookDelivery> Deliveries, IReadOnlyList<PendingWork> PendingWork);

/// <summary>The Instances pages' reads: every tenant's instances, since operators see them all.</summary>
internal sealed class OpsInstanceQueries(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public async Task<InstancePage> SearchAsync(InstanceSearch search, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Instances.AsNoTracking();
        if (search.Id?.Trim() is { Length: > 0 } id)
        {
            // A whole id finds its instance; anything else finds nothing rather than scanning for a prefix.
            query = Guid.TryParse(id, out var guid) ? query.Where(i => i.Id == guid) : query.Where(_ => false);
        }

        if (search.Tenant?.Trim() is { Length: > 0 } tenant)
        {
            query = query.Where(i => i.Owner == tenant);
        }

        if (search.User?.Trim() is { Length: > 0 } user)
        {
            query = query.Where(i => i.UserId == user);
        }

        if (search.State is { } state)
        {
            query = query.Where(i => i.Status == state);
        }

        if (search.Provider is { } provider)
        {
            query = query.Where(i => i.Provider == provider);
        }

        if (search.Region?.Trim() is { Length: > 0 } region)
        {
            query = query.Where(i => i.Region == region);
        }

        if (search.CreatedFrom is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(i => i.CreatedAt >= start);
        }

        if (search.CreatedTo is { } to)
        {
            // The day named is included: up to the start of the next.
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(i => i.CreatedAt < end);
        }

        var page = Math.Max(1, search.Page);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Sorted(query, search.Order)
            .Skip((page - 1) * InstanceSearch.PageSize)
            .Take(InstanceSearch.PageSize + 1)
            .Select(i => new InstanceRow(i.Id, i.Owner, i.UserId, i.Status, i.Provider, i.InstanceType, i.Region, i.CreatedAt, i.TotalCost, i.FailureReason))
            .ToListAsync(cancellationToken);
        return new InstancePage(rows.Take(InstanceSearch.PageSize).ToList(), rows.Count > InstanceSearch.PageSize, total);
    }

    // Ties broken by the id, so that paging a sorted list neither repeats nor skips a row.
    private static IQueryable<Instance> Sorted(IQueryable<Instance> query, (string Key, bool Descending) order) => order switch
    {
        ("cost", false) => query.OrderBy(i => i.TotalCost).ThenBy(i => i.Id),
        ("cost", true) => query.OrderByDescending(i => i.TotalCost).ThenByDescending(i => i.Id),
        ("state", false) => query.OrderBy(i => i.Status).ThenBy(i => i.Id),
        ("state", true) => query.OrderByDescending(i => i.Status).ThenByDescending(i => i.Id),
        ("tenant", false) => query.OrderBy(i => i.Owner).ThenBy(i => i.Id),
        ("tenant", true) => query.OrderByDescending(i => i.Owner).ThenByDescending(i => i.Id),
        ("created", false) => query.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id),
        _ => query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id),
    };

    public async Task<InstanceDetail?> DetailAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var instance = await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (instance is null)
        {
            return null;
        }

        var events = await db.InstanceEvents.AsNoTracking().Where(e => e.InstanceId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.InstanceId == id).OrderBy(d => d.CreatedAt).ToListAsync(cancellationToken);
        var deliveryIds = deliveries.Select(d => d.Id).ToList();
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => deliveryIds.Contains(a.DeliveryId)).ToListAsync(cancellationToken);
        var pending = await db.PendingWork.AsNoTracking().Where(w => w.InstanceId == id).OrderBy(w => w.RunAt).ToListAsync(cancellationToken);
        var audit = await db.OpsAudit.AsNoTracking().Where(a => a.InstanceId == id).ToListAsync(cancellationToken);
        var launches = await db.LaunchAttempts.AsNoTracking().Where(a => a.InstanceId == id).OrderBy(a => a.Number).ToListAsync(cancellationToken);

        var eventTypes = deliveries.ToDictionary(d => d.Id, d => d.EventType);
        var timeline = events.Select(e => new TimelineEntry(e.At, "lifecycle",
                $"{(e.FromStatus is { } from ? Upper(from) + " → " : "")}{Upper(e.ToStatus)}: {e.Cause}"))
            .Concat(attempts.Select(a => new TimelineEntry(a.StartedAt, "webhook",
                $"{eventTypes[a.DeliveryId]} attempt {a.Number}: {(a.StatusCode is { } code ? $"HTTP {code}" : "no answer")}{(a.Error is { } error ? $" ({error})" : "")}")))
            .Concat(launches.Select(a => new TimelineEntry(a.At, "provider", a.ToString())))
            .Concat(audit.Select(a => new TimelineEntry(a.At, "operator", $"{a.Action} by {a.KeyName} ({a.KeyId}): {a.Outcome}")))
            .OrderBy(t => t.At)
            .ToList();
        return new InstanceDetail(instance, instance.CostAt(clock.GetUtcNow()), timeline, deliveries, pending);
    }

    private static string Upper(InstanceStatus status) => status.ToString().ToUpperInvariant();
}
