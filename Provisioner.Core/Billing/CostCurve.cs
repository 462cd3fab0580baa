namespace Provisioner.Core.Billing;

/// <summary>
/// What an instance has cost by each instant: what its earlier machines were billed (<paramref name="Earlier"/>, after
/// relaunches; fixed before this machine's launch) plus its rule's charge for the time since this machine's launch (0 before it).
/// </summary>
public readonly record struct CostCurve(DateTimeOffset LaunchedAt, decimal PricePerHour, BillingRule Rule, decimal Earlier = 0m)
{
    public decimal At(DateTimeOffset instant) => Earlier + (instant < LaunchedAt ? 0m : Rule.Charge(PricePerHour, instant - LaunchedAt));
}
