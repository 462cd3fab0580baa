namespace Provisioner.Core.Budgets;

/// <summary>Why a create was refused, in figures (USD): the request's worst case against what the budget allows.</summary>
/// <param name="WorstCase">Price × the instance's auto-termination time, by its billing rule.</param>
/// <param name="Committed">This month's spend so far plus the worst case still ahead of running instances.</param>
/// <param name="Remaining">What the month has left: the limit less <paramref name="Committed"/>; null without a monthly limit.</param>
public sealed record BudgetRefusal(decimal WorstCase, decimal? PerInstanceCap, decimal? MonthlyLimit, decimal? Committed, decimal? Remaining)
{
    public bool OverCap => PerInstanceCap is { } cap && WorstCase > cap;
}

/// <summary>A create that the tenant's budget does not allow; nothing was written.</summary>
public sealed class BudgetExceededException(BudgetRefusal refusal)
    : Exception(refusal.OverCap
        ? $"The instance could cost up to {refusal.WorstCase} USD, over the per-instance cap of {refusal.PerInstanceCap} USD."
        : $"The instance could cost up to {refusal.WorstCase} USD, but this month's budget has {refusal.Remaining} USD left.")
{
    public BudgetRefusal Refusal { get; } = refusal;
}
