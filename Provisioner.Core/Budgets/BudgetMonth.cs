namespace Provisioner.Core.Budgets;

/// <summary>Budgets run by calendar month, in UTC.</summary>
public static class BudgetMonth
{
    public static DateTimeOffset StartOf(DateTimeOffset instant) => new(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
}
