using System.Data.Common;
using Npgsql;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Budgets;

/// <summary>
/// Refuses, inside the create's own transaction and before any cloud call, an instance whose worst case would exceed
/// the tenant's per-instance cap or what is left of its month. The budget row is locked for the check, so two creates
/// of one tenant cannot both spend the same remainder; tenants without a budget take no lock.
/// </summary>
internal static class BudgetGuard
{
    private const string Lock = "SELECT monthly_limit, per_instance_cap FROM provisioner.tenant_budgets WHERE owner = $1 FOR UPDATE";

    /// <exception cref="BudgetExceededException">The budget does not allow it.</exception>
    public static async Task CheckAsync(DbTransaction transaction, Instance instance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        decimal? limit, cap;
        await using (var command = new NpgsqlCommand(Lock, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction))
        {
            command.Parameters.Add(new() { Value = instance.Owner });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return;
            }

            limit = reader.IsDBNull(0) ? null : reader.GetDecimal(0);
            cap = reader.IsDBNull(1) ? null : reader.GetDecimal(1);
        }

        var worstCase = instance.Billing.Charge(instance.WorstCasePricePerHour, TimeSpan.FromMinutes(instance.AutoTerminateMinutes));
        if (cap is { } perInstance && worstCase > perInstance)
        {
            throw new BudgetExceededException(new BudgetRefusal(Money.Round(worstCase), perInstance, limit, null, null));
        }

        if (limit is { } monthly)
        {
            var (committed, _) = await BudgetLedger.MonthAsync(connection, transaction, instance.Owner, now, cancellationToken);
            var remaining = monthly - committed;
            if (worstCase > remaining)
            {
                throw new BudgetExceededException(new BudgetRefusal(Money.Round(worstCase), cap, monthly, Money.Round(committed), Money.Round(Math.Max(0m, remaining))));
            }
        }
    }
}
