using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Ops.Actions;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Budgets;
using Provisioner.Core.Operations;

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
        SetBudgetRequest request, BudgetCommands budgets, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var before = await budgets.StatusAsync(user.Tenant(), cancellationToken);
        var after = await budgets.SetAsync(user.Tenant(), request.MonthlyLimit, request.PerInstanceCap, cancellationToken);
        await audit.RecordAsync(user, OpsActions.SetBudget, user.Tenant(), null, AuditTrail.Change(Describe(before), Describe(after)), cancellationToken);
        return TypedResults.Ok(new BudgetEnvelope(true, BudgetResponse.From(after)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        BudgetCommands budgets, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var before = await budgets.StatusAsync(user.Tenant(), cancellationToken);
        if (!await budgets.RemoveAsync(user.Tenant(), cancellationToken))
        {
            return ApiProblems.BudgetNotSet();
        }

        await audit.RecordAsync(user, OpsActions.RemoveBudget, user.Tenant(), null, AuditTrail.Change(Describe(before), null), cancellationToken);
        return TypedResults.NoContent();
    }

    private static string? Describe(BudgetStatus? budget) => budget is null ? null
        : string.Create(CultureInfo.InvariantCulture, $"monthly limit {budget.MonthlyLimit?.ToString("0.##", CultureInfo.InvariantCulture) ?? "none"}, per instance {budget.PerInstanceCap?.ToString("0.##", CultureInfo.InvariantCulture) ?? "none"} USD");
}
