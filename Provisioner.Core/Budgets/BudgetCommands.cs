using Microsoft.EntityFrameworkCore;
using Npgsql;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Budgets;

/// <summary>A tenant's budget: set, read with its month's figures, removed.</summary>
public sealed class BudgetCommands(IDbContextFactory<ProvisionerDbContext> dbFactory, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<BudgetStatus> SetAsync(string owner, decimal? monthlyLimit, decimal? perInstanceCap, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var budget = await db.TenantBudgets.SingleOrDefaultAsync(b => b.Owner == owner, cancellationToken);
            if (budget is null)
            {
                budget = TenantBudget.Create(owner, now);
                db.TenantBudgets.Add(budget);
            }

            budget.Set(monthlyLimit, perInstanceCap, now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException error) when (error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another request created it first: set it on that row.
                return await SetAsync(owner, monthlyLimit, perInstanceCap, cancellationToken);
            }
        }

        return (await StatusAsync(owner, cancellationToken))!;
    }

    public async Task<bool> RemoveAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TenantBudgets.Where(b => b.Owner == owner).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <returns>Null when the tenant has no budget.</returns>
    public async Task<BudgetStatus?> StatusAsync(string owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await db.TenantBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.Owner == owner, cancellationToken);
        if (budget is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var month = BudgetMonth.StartOf(now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (committed, spent) = await BudgetLedger.MonthAsync(connection, null, owner, now, cancellationToken);
        var events = await db.BudgetEvents.AsNoTracking().Where(e => e.Owner == owner && e.Month == month).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return new BudgetStatus(
            budget.MonthlyLimit, budget.PerInstanceCap, month, Money.Round(spent), Money.Round(committed),
            budget.MonthlyLimit is { } limit ? Money.Round(Math.Max(0m, limit - committed)) : null,
            budget.MonthlyLimit is { } l && l > 0 ? Math.Round(spent / l * 100m, 2) : null,
            events);
    }
}
