using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Budgets;

/// <summary>What happens when a tenant's month is spent. Section <c>Budgets</c>.</summary>
public sealed class BudgetOptions
{
    public const string Section = "Budgets";

    /// <summary>
    /// <c>refuse-new</c> (default): new instances are refused, running ones run to their deadline.
    /// <c>terminate-running</c>: running ones are stopped too.
    /// </summary>
    [RegularExpression("^(refuse-new|terminate-running)$")]
    public string OnExhausted { get; set; } = "refuse-new";

    public BudgetExhaustion Exhaustion => OnExhausted == "terminate-running" ? BudgetExhaustion.TerminateRunning : BudgetExhaustion.RefuseNew;
}

public enum BudgetExhaustion
{
    RefuseNew,
    TerminateRunning,
}
