namespace Provisioner.Client.Models;

/// <summary>A budget and its month (USD).</summary>
public sealed record Budget(
    decimal? MonthlyLimit, decimal? PerInstanceCap, string Month, decimal Spent, decimal Committed, decimal? Remaining, decimal? PercentUsed,
    IReadOnlyList<BudgetEvent> Events);

public sealed record BudgetEvent(int Percent, decimal Spent, DateTimeOffset At, string Action);

/// <summary>Spend per UTC day in [From, To), as of the last rollup.</summary>
/// <param name="PoolOverhead">Warm idle time of pools kept for this tenant alone, beside the spend (not in <paramref name="Total"/>).</param>
public sealed record DailyCosts(DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, decimal Total, IReadOnlyList<DailyCost> Days, decimal PoolOverhead = 0);

public sealed record DailyCost(string Date, decimal Cost, decimal PoolOverhead = 0);

/// <summary>Actual spend against the same instance types always on.</summary>
public sealed record Savings(
    DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, decimal ActualCost, decimal AlwaysOnCost, decimal Saving, decimal SavingPercent,
    IReadOnlyList<SavingsByType> ByInstanceType, decimal PoolOverhead = 0);

public sealed record SavingsByType(
    string Provider, string InstanceType, int PeakConcurrent, double Hours, decimal PricePerHour, decimal AlwaysOnCost, decimal ActualCost, decimal PoolOverhead = 0);
