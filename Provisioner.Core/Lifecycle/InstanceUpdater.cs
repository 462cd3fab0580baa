using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// The one way jobs change an instance: load it, let a decision mutate it and name any follow-up of its own,
/// then save both in one short transaction, with what the decision's moves call for: the work the lifecycle
/// schedules on entering a state and withdraws once final (<see cref="InstanceLifecycle"/>), and the webhook
/// deliveries of its new events. A lost race (someone else wrote the row first) reloads and decides again on fresh
/// state. Decisions are pure: no cloud call ever happens inside the transaction.
/// </summary>
public sealed class InstanceUpdater(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IInstanceWorkQueue queue,
    WebhookOutbox webhooks,
    TimeProvider clock,
    ILogger<InstanceUpdater> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>The instance as stored, without tracking, for the read before a cloud call.</summary>
    public async Task<Instance?> ReadAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
    }

    /// <param name="decide">Mutates the instance and adds follow-up work of its own; may run more than once.</param>
    /// <param name="doing">The kind of work the calling step does itself: a state it enters never schedules a second copy.</param>
    public async Task<TResult> UpdateAsync<TResult>(
        Guid instanceId,
        Func<Instance, DateTimeOffset, ICollection<InstanceWork>, TResult> decide,
        CancellationToken cancellationToken,
        InstanceWorkKind? doing = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var instance = await db.Instances.SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
                ?? throw new InstanceNotFoundException(instanceId);

            var work = new List<InstanceWork>();
            var now = clock.GetUtcNow();
            var result = decide(instance, now, work);
            if (!db.ChangeTracker.HasChanges() && work.Count == 0)
            {
                return result;
            }

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await SaveAndCommitAsync(queue, webhooks, db, transaction, instance, work, now, cancellationToken, doing);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.InstanceChangedUnderUs(instanceId, attempt);
            }
        }
    }

    /// <summary>
    /// Saves <paramref name="instance"/>'s changes and commits, with the outbox work its new events call for: the one
    /// place lifecycle moves become work (and webhook deliveries), for new instances and changed ones alike.
    /// </summary>
    /// <param name="work">Follow-up the decision named itself (a retry, the next look), scheduled with the lifecycle's.</param>
    /// <param name="tenantTarget">The tenant's default webhook target, when the caller already read it in this transaction.</param>
    internal static async Task SaveAndCommitAsync(
        IInstanceWorkQueue queue, WebhookOutbox webhooks, ProvisionerDbContext db, IDbContextTransaction transaction, Instance instance, IReadOnlyCollection<InstanceWork> work,
        DateTimeOffset now, CancellationToken cancellationToken, InstanceWorkKind? doing = null, TenantWebhookLookup? tenantTarget = null)
    {
        db.ChangeTracker.DetectChanges();
        var entered = instance.Events.Where(e => db.Entry(e).State == EntityState.Added).Select(e => e.ToStatus).ToList();
        var notify = await webhooks.CaptureAsync(db, instance, now, cancellationToken, tenantTarget);
        await db.SaveChangesAsync(cancellationToken);
        if (notify)
        {
            await WebhookOutbox.NotifyAsync(db, cancellationToken);
        }

        if (InstanceLifecycle.Withdrawn(instance.Status) is { Count: > 0 } withdrawn)
        {
            await queue.WithdrawAsync(transaction.GetDbTransaction(), instance.Id, withdrawn, cancellationToken);
        }

        await queue.ScheduleAndCommitAsync(transaction.GetDbTransaction(), [.. InstanceLifecycle.WorkAfter(instance, entered, now, doing), .. work], cancellationToken);
    }
}
