using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// The one way jobs change an instance: load it, let a decision mutate it and name the follow-up work,
/// then save both, and the webhook deliveries its new events call for, in one short transaction. A lost race (someone else wrote the row first) reloads and
/// decides again on fresh state. Decisions are pure: no cloud call ever happens inside the transaction.
/// </summary>
public sealed class InstanceUpdater(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IInstanceWorkQueue queue,
    WebhookOutbox webhooks,
    TimeProvider clock,
    ILogger<InstanceUpdater> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Work a finished instance no longer needs: everything but the terminate step, which a failed one still needs.</summary>
    private static readonly InstanceWorkKind[] NotNeededOnceFinal =
        [InstanceWorkKind.Create, InstanceWorkKind.AwaitReady, InstanceWorkKind.AutoTerminate, InstanceWorkKind.IdleCheck];

    /// <summary>The instance as stored, without tracking, for the read before a cloud call.</summary>
    public async Task<Instance?> ReadAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Instances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
    }

    /// <param name="decide">Mutates the instance and adds follow-up work; may run more than once.</param>
    public async Task<TResult> UpdateAsync<TResult>(
        Guid instanceId,
        Func<Instance, DateTimeOffset, ICollection<InstanceWork>, TResult> decide,
        CancellationToken cancellationToken)
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
                var notify = await webhooks.CaptureAsync(db, instance, now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                if (notify)
                {
                    await WebhookOutbox.NotifyAsync(db, cancellationToken);
                }

                if (InstanceTransitions.IsFinal(instance.Status))
                {
                    await queue.WithdrawAsync(transaction.GetDbTransaction(), instance.Id, NotNeededOnceFinal, cancellationToken);
                }

                await queue.ScheduleAndCommitAsync(transaction.GetDbTransaction(), work, cancellationToken);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Instance {InstanceId} changed under us (attempt {Attempt}); deciding again", instanceId, attempt);
            }
        }
    }
}
