using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Budgets;

/// <summary>
/// Announces each tenant's month crossing 80% and 100% of its budget, once per threshold per month: a budget event,
/// a <c>budget.threshold_crossed</c> webhook to the tenant's default target, and, at 100% with
/// <see cref="BudgetExhaustion.TerminateRunning"/>, a stop for every instance still running. Runs after each rollup.
/// </summary>
public sealed class BudgetWatch(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    NpgsqlDataSource dataSource,
    InstanceCommands instances,
    WebhookOutbox webhooks,
    IOptions<BudgetOptions> options,
    TimeProvider clock,
    ILogger<BudgetWatch> logger)
{
    public const string EventType = "budget.threshold_crossed";

    /// <returns>The events announced.</returns>
    public async Task<IReadOnlyList<BudgetEvent>> CheckAsync(CancellationToken cancellationToken)
    {
        var announced = new List<BudgetEvent>();
        List<string> owners;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            owners = await db.TenantBudgets.AsNoTracking().Where(b => b.MonthlyLimit != null).Select(b => b.Owner).ToListAsync(cancellationToken);
        }

        foreach (var owner in owners)
        {
            announced.AddRange(await CheckTenantAsync(owner, cancellationToken));
        }

        return announced;
    }

    private async Task<IReadOnlyList<BudgetEvent>> CheckTenantAsync(string owner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var month = BudgetMonth.StartOf(now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var budget = await db.TenantBudgets.FromSql($"SELECT * FROM provisioner.tenant_budgets WHERE owner = {owner} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (budget?.MonthlyLimit is not { } limit || limit <= 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (_, spent) = await BudgetLedger.MonthAsync(connection, null, owner, now, cancellationToken);
        var crossed = budget.Cross(month, spent / limit * 100m);
        var terminate = options.Value.Exhaustion == BudgetExhaustion.TerminateRunning && crossed.Contains(BudgetThresholds.Exhausted);
        var events = crossed.Select(percent => new BudgetEvent(owner, month, percent, Money.Round(spent), limit, now,
            percent == BudgetThresholds.Exhausted
                ? terminate ? "running instances stopped; new ones refused" : "new instances refused"
                : "announced")).ToList();
        db.BudgetEvents.AddRange(events);
        var notify = false;
        foreach (var budgetEvent in events)
        {
            var data = new { owner, month = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), budgetEvent.Percent, spent = budgetEvent.Spent, monthlyLimit = limit, action = budgetEvent.Action };
            notify |= await webhooks.CaptureTenantEventAsync(db, owner, EventType, data, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (notify)
        {
            await WebhookOutbox.NotifyAsync(db, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var budgetEvent in events)
        {
            logger.BudgetCrossed(owner, budgetEvent.Spent, budgetEvent.Percent, limit, budgetEvent.Action);
        }

        if (terminate)
        {
            await StopRunningAsync(owner, cancellationToken);
        }

        return events;
    }

    private async Task StopRunningAsync(string owner, CancellationToken cancellationToken)
    {
        List<Guid> live;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            live = await db.Instances.AsNoTracking()
                .Where(i => i.Owner == owner && i.Status != InstanceStatus.Terminated && i.Status != InstanceStatus.Failed && i.Status != InstanceStatus.Stopping)
                .Select(i => i.Id).ToListAsync(cancellationToken);
        }

        foreach (var id in live)
        {
            await instances.RequestStopAsync(id, "monthly budget exhausted", cancellationToken);
        }
    }
}
