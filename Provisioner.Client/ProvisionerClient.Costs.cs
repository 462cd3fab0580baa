using Provisioner.Client.Models;

namespace Provisioner.Client;

/// <summary><c>/api/budget</c> and <c>/api/costs</c>.</summary>
public sealed partial class ProvisionerClient
{
    [ApiOperation("GET", "/api/budget")]
    public async Task<Budget> GetBudgetAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<BudgetEnvelope>(HttpMethod.Get, "/api/budget", null, cancellationToken).ConfigureAwait(false)).Budget;

    /// <summary>Sets the monthly limit and/or the per-instance cap (USD); creates whose worst case exceeds them are refused.</summary>
    [ApiOperation("PUT", "/api/budget")]
    public async Task<Budget> SetBudgetAsync(decimal? monthlyLimit, decimal? perInstanceCap = null, CancellationToken cancellationToken = default) =>
        (await SendAsync<BudgetEnvelope>(HttpMethod.Put, "/api/budget", new SetBudgetBody(monthlyLimit, perInstanceCap), cancellationToken).ConfigureAwait(false)).Budget;

    [ApiOperation("DELETE", "/api/budget")]
    public Task RemoveBudgetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "/api/budget", cancellationToken);

    /// <summary>Spend per UTC day in [from, to); the API's default is the last 30 days.</summary>
    [ApiOperation("GET", "/api/costs/daily")]
    public Task<DailyCosts> GetDailyCostsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        SendAsync<DailyCosts>(HttpMethod.Get, "/api/costs/daily" + Query(("from", Timestamp(from)), ("to", Timestamp(to))), null, cancellationToken);

    [ApiOperation("GET", "/api/costs/savings")]
    public Task<Savings> GetSavingsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        SendAsync<Savings>(HttpMethod.Get, "/api/costs/savings" + Query(("from", Timestamp(from)), ("to", Timestamp(to))), null, cancellationToken);

    private sealed record SetBudgetBody(decimal? MonthlyLimit, decimal? PerInstanceCap);

    private sealed record BudgetEnvelope(Budget Budget);
}
