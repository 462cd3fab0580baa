using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Budgets;

namespace Provisioner.Api.Costs;

/// <summary><c>/api/budget</c>: a tenant's monthly budget and per-instance cap, enforced before any launch.</summary>
public static class BudgetApi
{
    public static IEndpointRouteBuilder MapBudgetApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/budget").WithTags("Costs").RequireAuthorization(Policies.Tenant);
        api.MapGet("/", GetAsync).WithName("GetBudget").WithSummary("The budget, this month's spend, what is committed and what is left.");
        api.MapPut("/", SetAsync)
            .AddEndpointFilter<ValidationFilter<SetBudgetRequest>>()
            .WithName("SetBudget")
            .WithSummary("Set the monthly budget and/or per-instance cap; creates whose worst case exceeds them are refused (409 budget_exceeded).");
        api.MapDelete("/", RemoveAsync).WithName("RemoveBudget").WithSummary("Remove the budget.");
        return endpoints;
    }

    private static async Task<Results<Ok<BudgetEnvelope>, ProblemHttpResult>> GetAsync(
        BudgetCommands budgets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await budgets.StatusAsync(user.Tenant(), cancellationToken) is { } status
            ? TypedResults.Ok(new BudgetEnvelope(true, BudgetResponse.From(status)))
            : ApiProblems.BudgetNotSet();

    private static async Task<Ok<BudgetEnvelope>> SetAsync(
        SetBudgetRequest request, BudgetCommands budgets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(new BudgetEnvelope(true, BudgetResponse.From(
            await budgets.SetAsync(user.Tenant(), request.MonthlyLimit, request.PerInstanceCap, cancellationToken))));

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        BudgetCommands budgets, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await budgets.RemoveAsync(user.Tenant(), cancellationToken) ? TypedResults.NoContent() : ApiProblems.BudgetNotSet();
}
