using Provisioner.Core.Budgets;
using Provisioner.Core.Instances;

namespace Provisioner.Api.Costs;

/// <summary>A budget and its month (USD): spent so far, committed (spent plus running instances' worst case), remaining.</summary>
public sealed record BudgetResponse(
    decimal? MonthlyLimit, decimal? PerInstanceCap, string Month, decimal Spent, decimal Committed, decimal? Remaining, decimal? PercentUsed,
    IReadOnlyList<BudgetEventResponse> Events)
{
    public static BudgetResponse From(BudgetStatus s) => new(
        s.MonthlyLimit is { } l ? Money.Normalize(l) : null, s.PerInstanceCap is { } c ? Money.Normalize(c) : null,
        s.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), s.Spent, s.Committed, s.Remaining, s.PercentUsed,
        [.. s.Events.Select(e => new BudgetEventResponse(e.Percent, Money.Round(e.Spent), e.At, e.Action))]);
}

public sealed record BudgetEventResponse(int Percent, decimal Spent, DateTimeOffset At, string Action);

public sealed record BudgetEnvelope(bool Success, BudgetResponse Budget);

/// <summary>
/// Spend per UTC day, every day of the period (zero where nothing ran), as of the last rollup. <see cref="PoolOverhead"/>:
/// the warm idle time of pools kept for this tenant alone, up to now, beside the spend (not in <see cref="Total"/>).
/// </summary>
public sealed record DailyCostsEnvelope(bool Success, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, decimal Total, IReadOnlyList<DailyCost> Days, decimal PoolOverhead = 0);

public sealed record DailyCost(string Date, decimal Cost, decimal PoolOverhead = 0);

/// <summary>
/// What the period cost against what the same instance types would have cost always on: per type, the period's
/// hours × its price × the most instances of it that ran at once. The actual cost counts the overhead of pools kept for
/// this tenant alone (<see cref="PoolOverhead"/>): warm machines are part of what the savings cost.
/// </summary>
public sealed record SavingsEnvelope(
    bool Success, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, decimal ActualCost, decimal AlwaysOnCost, decimal Saving, decimal SavingPercent,
    IReadOnlyList<SavingsByType> ByInstanceType, decimal PoolOverhead = 0);

/// <param name="ActualCost">Billed instances of the type, plus <paramref name="PoolOverhead"/>.</param>
public sealed record SavingsByType(
    CloudProviderName Provider, string InstanceType, int PeakConcurrent, double Hours, decimal PricePerHour, decimal AlwaysOnCost, decimal ActualCost,
    decimal PoolOverhead = 0);
