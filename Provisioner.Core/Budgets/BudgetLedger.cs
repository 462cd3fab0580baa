using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Billing;

namespace Provisioner.Core.Budgets;

/// <summary>A tenant's month in money, from the instance records, by each instance's own billing rule.</summary>
public static class BudgetLedger
{
    // Committed: what ended costs what it cost; what still bills is reserved at its worst case (or what it has cost,
    // if more: a machine may outlive its deadline while it stops). Spent: what everything has cost by now.
    private static readonly string Month = $"""
        SELECT coalesce(sum(CASE WHEN {BillingSql.BillingEnd} IS NOT NULL OR (launched_at IS NULL AND status IN ('TERMINATED', 'FAILED'))
                                 THEN {BillingSql.CostAt("$3")}
                                 ELSE greatest({BillingSql.CostAt("$3")}, {BillingSql.WorstCase}) END), 0),
               coalesce(sum({BillingSql.CostAt("$3")}), 0)
          FROM provisioner.instances
         WHERE owner = $1 AND created_at >= $2
        """;

    public static async Task<(decimal Committed, decimal Spent)> MonthAsync(DbConnection connection, DbTransaction? transaction, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Month, (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        command.Parameters.Add(new() { Value = owner });
        command.Parameters.Add(new() { Value = BudgetMonth.StartOf(now), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetDecimal(0), reader.GetDecimal(1));
    }
}
