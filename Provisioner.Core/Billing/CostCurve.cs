namespace Provisioner.Core.Billing;

/// <summary>What an instance has cost by each instant: its rule's charge for the time since launch (0 before it).</summary>
public readonly record struct CostCurve(DateTimeOffset LaunchedAt, decimal PricePerHour, BillingRule Rule)
{
    public decimal At(DateTimeOffset instant) => instant < LaunchedAt ? 0m : Rule.Charge(PricePerHour, instant - LaunchedAt);
}
