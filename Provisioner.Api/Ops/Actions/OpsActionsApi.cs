using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Problems;

namespace Provisioner.Api.Ops.Actions;

/// <summary>
/// The console's actions: form posts from its pages, each checked for the page's antiforgery token, done, audited,
/// and answered with a redirect back to the page (post, redirect, get: a reload never repeats an action).
/// </summary>
internal static class OpsActionsApi
{
    public static IEndpointRouteBuilder MapOpsActionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(OpsAuthentication.BasePath).RequireAuthorization(OpsAuthentication.Policy).ExcludeFromDescription();
        group.MapPost("/instances/{id:guid}/terminate", TerminateAsync);
        group.MapPost("/webhooks/{id:guid}/redeliver", RedeliverAsync);
        return endpoints;
    }

    public static string InstancePath(Guid id) => $"{OpsAuthentication.BasePath}/instances/{id}";

    public static string TerminatePath(Guid id) => $"{InstancePath(id)}/terminate";

    public static string RedeliverPath(Guid id) => $"{OpsAuthentication.BasePath}/webhooks/{id}/redeliver";

    private static async Task<Results<RedirectHttpResult, NotFound, ProblemHttpResult>> TerminateAsync(
        Guid id, HttpContext context, IAntiforgery antiforgery, OpsActionService actions)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged();
        }

        var outcome = await actions.TerminateAsync(context.User, id, context.RequestAborted);
        return outcome is null ? TypedResults.NotFound() : TypedResults.Redirect($"{InstancePath(id)}?done={Uri.EscapeDataString(outcome)}");
    }

    private static async Task<Results<RedirectHttpResult, NotFound, ProblemHttpResult>> RedeliverAsync(
        Guid id, HttpContext context, IAntiforgery antiforgery, OpsActionService actions)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Forged();
        }

        var outcome = await actions.RedeliverAsync(context.User, id, context.RequestAborted);
        return outcome is null
            ? TypedResults.NotFound()
            : TypedResults.Redirect($"{OpsAuthentication.BasePath}/webhooks?delivery={id}&done={Uri.EscapeDataString(outcome)}");
    }

    private static ProblemHttpResult Forged() =>
        TypedResults.Problem(ApiProblems.Build(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Not allowed.",
            "The form's antiforgery token is missing or invalid; act from the console's own page.", []));
}
