using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Lifecycle;

/// <summary>What one sweep did.</summary>
public sealed record SweepReport(int DeadlinesEnforced, int StuckFailed, int Redriven);

/// <summary>
/// The backstop behind every hand-off: stops instances whose exact deadline trigger was missed, fails
/// instances stuck past their state's limit (and releases their machines), and re-schedules the next step
/// of any live instance that has no job pending, whatever lost it.
/// </summary>
public sealed class LifecycleSweeper(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    InstanceUpdater updater,
    TimeProvider clock,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<LifecycleSweeper> logger)
{
    /// <summary>Lets the exact trigger act first; the sweep only steps in when it has clearly not.</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    public async Task<SweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = lifecycle.Value;
        var now = clock.GetUtcNow();
        var candidates = await FindCandidatesAsync(settings, now, cancellationToken);

        int deadlines = 0, stuck = 0, redriven = 0;
        foreach (var (candidate, pending) in candidates)
        {
            // A request waiting for capacity counts its limit from the wait's end, as the query does: until then it
            // is not stuck, and its deadline and lost work are looked after like any other's.
            if (settings.TimeoutFor(candidate.Status) is { } limit && now - (candidate.CapacityWaitUntil ?? candidate.StatusChangedAt) > limit)
            {
                stuck += await FailStuckAsync(candidate.Id, limit, cancellationToken) ? 1 : 0;
            }
            else if (candidate.Status != InstanceStatus.Stopping && now - candidate.AutoTerminateAt > DeadlineSlack)
            {
                deadlines += await EnforceDeadlineAsync(candidate.Id, cancellationToken) ? 1 : 0;
            }
            else if (now - candidate.UpdatedAt > settings.RedriveAfter && ExpectedWork(candidate).Except(pending).Any())
            {
                redriven += await RedriveAsync(candidate, pending, cancellationToken) ? 1 : 0;
            }
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var forgetBefore = now - settings.IdempotencyKeyRetention;
            await db.IdempotencyKeys.Where(k => k.CreatedAt < forgetBefore).ExecuteDeleteAsync(cancellationToken);
        }

        var report = new SweepReport(deadlines, stuck, redriven);
        if (report != new SweepReport(0, 0, 0))
        {
            logger.SweepActed(deadlines, stuck, redriven);
        }

        return report;
    }

    /// <summary>
    /// One query for every live instance that may need the sweep (past a limit, past its deadline, or quiet for
    /// a while), each with the kinds of work it has pending: nothing is looked up row by row.
    /// </summary>
    private async Task<List<(Instance Instance, IReadOnlyList<InstanceWorkKind> Pending)>> FindCandidatesAsync(
        LifecycleOptions settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var quietSince = now - settings.RedriveAfter;
        var deadlinePassed = now - DeadlineSlack;
        // The states with a time limit, read from the lifecycle's definition; the caller checks each limit exactly,
        // so the query may ask for anything past the shortest of them.
        var limited = InstanceLifecycle.States.Where(s => InstanceLifecycle.TimeLimit(s, settings) is not null).ToList();
        var limitedSince = limited.Count == 0 ? DateTimeOffset.MinValue : now - limited.Min(s => InstanceLifecycle.TimeLimit(s, settings)!.Value);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.Status != InstanceStatus.Terminated && i.Status != InstanceStatus.Failed)
            .Where(i => i.UpdatedAt < quietSince
                || i.AutoTerminateAt < deadlinePassed
                // A request waiting for capacity counts its limit from the wait's end (the wait is cleared by any move).
                || (limited.Contains(i.Status) && (i.CapacityWaitUntil ?? i.StatusChangedAt) < limitedSince))
            .Select(i => new { Instance = i, Pending = db.PendingWork.Where(w => w.InstanceId == i.Id).Select(w => w.Kind).ToList() })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Instance, (IReadOnlyList<InstanceWorkKind>)r.Pending))];
    }

    private Task<bool> FailStuckAsync(Guid id, TimeSpan limit, CancellationToken cancellationToken) =>
        updater.UpdateAsync(id, (instance, now, work) =>
        {
            // A request that may wait for capacity is stuck only once its wait is over, as well as the usual limit.
            var since = instance.Status == InstanceStatus.Provisioning && instance.CapacityWaitUntil is { } waitEnds ? waitEnds : instance.StatusChangedAt;
            if (lifecycle.Value.TimeoutFor(instance.Status) is not { } current || now - since <= current)
            {
                return false;
            }

            // Failed is final for the record; entering it schedules the terminate step, which releases what the cloud holds.
            instance.MarkFailed(InstanceLifecycle.StuckReason(instance, limit), now);
            return true;
        }, cancellationToken);

    private Task<bool> EnforceDeadlineAsync(Guid id, CancellationToken cancellationToken) =>
        updater.UpdateAsync(id, (instance, now, _) => instance.RequestStop("auto-terminate deadline reached (sweep)", now), cancellationToken);

    /// <summary>Schedules each step the instance's state calls for that has no work pending.</summary>
    private Task<bool> RedriveAsync(Instance instance, IReadOnlyList<InstanceWorkKind> pending, CancellationToken cancellationToken)
    {
        var missing = ExpectedWork(instance).Except(pending).ToList();
        logger.Redriving(instance.Id, instance.Status, string.Join(", ", missing));
        return updater.UpdateAsync(instance.Id, (current, now, work) =>
        {
            if (current.Status != instance.Status)
            {
                return false;
            }

            foreach (var kind in missing.Intersect(ExpectedWork(current)))
            {
                work.Add(new InstanceWork(kind, current.Id, InstanceLifecycle.DueAt(kind, current, now)));
            }

            return work.Count > 0;
        }, cancellationToken);
    }

    /// <summary>The jobs a live instance in its state should have pending.</summary>
    private static IReadOnlyList<InstanceWorkKind> ExpectedWork(Instance instance) => InstanceLifecycle.MustHavePending(instance);
}
