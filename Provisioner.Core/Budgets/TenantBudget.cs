namespace Provisioner.Core.Budgets;

/// <summary>
/// What a tenant allows itself to spend: per calendar month (UTC) and per instance. An instance counts toward the
/// month it was requested in. Also which threshold of the month has been announced, so each is announced once.
/// </summary>
public sealed class TenantBudget
{
    private TenantBudget()
    {
        Owner = string.Empty;
    }

    public string Owner { get; private set; }
    public decimal? MonthlyLimit { get; private set; }
    public decimal? PerInstanceCap { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The month (its first instant) <see cref="AlertedPercent"/> belongs to.</summary>
    public DateTimeOffset? AlertedMonth { get; private set; }

    /// <summary>The highest threshold (80, 100) already announced for <see cref="AlertedMonth"/>; 0 for none.</summary>
    public int AlertedPercent { get; private set; }

    public static TenantBudget Create(string owner, DateTimeOffset now) => new() { Owner = owner, CreatedAt = now, UpdatedAt = now };

    public void Set(decimal? monthlyLimit, decimal? perInstanceCap, DateTimeOffset now)
    {
        MonthlyLimit = monthlyLimit;
        PerInstanceCap = perInstanceCap;
        UpdatedAt = now;
    }

    /// <summary>The thresholds newly crossed at <paramref name="percentUsed"/> this month, recorded as announced.</summary>
    public IReadOnlyList<int> Cross(DateTimeOffset month, decimal percentUsed)
    {
        var already = AlertedMonth == month ? AlertedPercent : 0;
        var crossed = BudgetThresholds.All.Where(t => percentUsed >= t && t > already).ToList();
        if (AlertedMonth != month || crossed.Count > 0)
        {
            AlertedMonth = month;
            AlertedPercent = crossed.Count > 0 ? crossed[^1] : already;
        }

        return crossed;
    }
}
