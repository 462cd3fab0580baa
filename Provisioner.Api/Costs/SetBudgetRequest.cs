namespace Provisioner.Api.Costs;

/// <summary>The body of <c>PUT /api/budget</c>: a monthly limit, a per-instance cap, or both (USD).</summary>
public sealed record SetBudgetRequest(decimal? MonthlyLimit, decimal? PerInstanceCap);
