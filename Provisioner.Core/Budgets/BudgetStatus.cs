namespace Provisioner.Core.Budgets;

/// <summary>A tenant's budget and where its month stands (USD).</summary>
public sealed record BudgetStatus(
    decimal? MonthlyLimit,
    decimal? PerInstanceCap,
    DateTimeOffset Month,
    decimal Spent,
    decimal Committed,
    decimal? Remaining,
    decimal? PercentUsed,
    IReadOnlyList<BudgetEvent> Events);
