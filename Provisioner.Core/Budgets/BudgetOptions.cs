namespace Provisioner.Core.Budgets;

/// <summary>What happens when a tenant's month is spent. Section <c>Budgets</c>.</summary>
public sealed class BudgetOptions
{
    public const string Section = "Budgets";

    /// <summary>
    /// <see cref="BudgetExhaustion.RefuseNew"/> (default): new instances are refused, running ones run to their
    /// deadline. <see cref="BudgetExhaustion.TerminateRunning"/>: running ones are stopped too.
    /// </summary>
    public BudgetExhaustion OnExhausted { get; set; } = BudgetExhaustion.RefuseNew;
}

public enum BudgetExhaustion
{
    RefuseNew,
    TerminateRunning,
}
