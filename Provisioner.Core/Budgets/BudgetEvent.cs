namespace Provisioner.Core.Budgets;

/// <summary>A threshold of a tenant's month crossed: when, at what spend, and what was done about it.</summary>
public sealed class BudgetEvent
{
    private BudgetEvent()
    {
        Owner = Action = string.Empty;
    }

    public BudgetEvent(string owner, DateTimeOffset month, int percent, decimal spent, decimal monthlyLimit, DateTimeOffset at, string action)
    {
        Owner = owner;
        Month = month;
        Percent = percent;
        Spent = spent;
        MonthlyLimit = monthlyLimit;
        At = at;
        Action = action;
    }

    public long Id { get; private set; }
    public string Owner { get; private set; }
    public DateTimeOffset Month { get; private set; }
    public int Percent { get; private set; }
    public decimal Spent { get; private set; }
    public decimal MonthlyLimit { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Action { get; private set; }
}
