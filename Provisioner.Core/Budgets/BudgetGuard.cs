using System.Data.Common;
using Npgsql;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Budgets;

/// <summary>A tenant's budget as its locked row says: the month's limit and the per-instance cap, either unset.</summary>
internal readonly record struct BudgetLimits(decimal? Monthly, decimal? PerInstance);

/// <summary>
/// Refuses, inside the create's own transaction and before any cloud call, an instance whose worst case would exceed
/// the tenant's per-instance cap or what is left of its month. The budget row is locked for the check, so two creates
/// of one tenant cannot both spend the same remainder; tenants without a budget take no lock. The lock is one statement
/// of the create's first batch (<see cref="Lifecycle.CreateChecks"/>), the check runs on what it read.
/// </summary>
internal static class BudgetGuard
{
    private const string Lock = "SELECT monthly_limit, per_instance_cap FROM provisioner.tenant_budgets WHERE owner = $1 FOR UPDATE";

    /// <summary>Locks the tenant's budget row, if it has one, and reads it (<see cref="ReadLockedAsync"/>).</summary>
    public static NpgsqlBatchCommand LockCommand(string owner) => new(Lock) { Parameters = { new() { Value = owner } } };

    /// <returns>The locked row's limits; null when the tenant has no budget (nothing was locked).</returns>
    public static async Task<BudgetLimits?> ReadLockedAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new BudgetLimits(reader.IsDBNull(0) ? null : reader.GetDecimal(0), reader.IsDBNull(1) ? null : reader.GetDecimal(1));
    }

    /// <param name="limits">What <see cref="LockCommand"/> read on <paramref name="transaction"/>; null: no budget, no limit.</param>
    /// <exception cref="BudgetExceededException">The budget does not allow it.</exception>
    public static async Task CheckAsync(DbTransaction transaction, Instance instance, BudgetLimits? limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (limits is not { } budget)
        {
            return;
        }

        var (limit, cap) = (budget.Monthly, budget.PerInstance);
        var worstCase = instance.Billing.Charge(instance.WorstCasePricePerHour, TimeSpan.FromMinutes(instance.AutoTerminateMinutes));
        if (cap is { } perInstance && worstCase > perInstance)
        {
            throw new BudgetExceededException(new BudgetRefusal(Money.Round(worstCase), perInstance, limit, null, null));
        }

        if (limit is { } monthly)
        {
            var (committed, _) = await BudgetLedger.MonthAsync(transaction.Connection!, transaction, instance.Owner, now, cancellationToken);
            var remaining = monthly - committed;
            if (worstCase > remaining)
            {
                throw new BudgetExceededException(new BudgetRefusal(Money.Round(worstCase), cap, monthly, Money.Round(committed), Money.Round(Math.Max(0m, remaining))));
            }
        }
    }
}
