namespace Provisioner.Core.Budgets;

/// <summary>The shares of a monthly budget whose crossing is announced.</summary>
public static class BudgetThresholds
{
    public const int Warning = 80;
    public const int Exhausted = 100;

    public static readonly IReadOnlyList<int> All = [Warning, Exhausted];
}
