using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Security;

namespace Provisioner.Api.Costs;

/// <summary><c>/api/costs</c>: spend per day and the savings report, from the rollups.</summary>
public static class CostsApi
{
    /// <summary>The period a report covers when the request names none.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapCostsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/costs").WithTags("Costs").RequireAuthorization(Policies.Tenant);
        api.MapGet("/daily", DailyAsync).WithName("GetDailyCosts").WithSummary("Spend per UTC day in [from, to) (default: the last 30 days).");
        api.MapGet("/savings", SavingsAsync).WithName("GetSavings")
            .WithSummary("Actual spend against the same instance types always on over the period (default: the last 30 days).");
        return endpoints;
    }

    private static async Task<Results<Ok<DailyCostsEnvelope>, ProblemHttpResult>> DailyAsync(
        string? from, string? to, CostQueries costs, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ReportRange.TryParse(from, to, clock.GetUtcNow(), DefaultPeriod, out var range, out var problem))
        {
            return problem!;
        }

        return TypedResults.Ok(await costs.DailyAsync(user.Tenant(), range.From!.Value, range.To!.Value, cancellationToken));
    }

    private static async Task<Results<Ok<SavingsEnvelope>, ProblemHttpResult>> SavingsAsync(
        string? from, string? to, CostQueries costs, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!ReportRange.TryParse(from, to, clock.GetUtcNow(), DefaultPeriod, out var range, out var problem))
        {
            return problem!;
        }

        return TypedResults.Ok(await costs.SavingsAsync(user.Tenant(), range.From!.Value, range.To!.Value, cancellationToken));
    }
}
