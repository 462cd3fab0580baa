using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Problems;

namespace Provisioner.Api.Ops;

/// <summary><c>POST /ops/logout</c>: ends the browser session. A form post from the console, so it checks the antiforgery token.</summary>
internal static class OpsSessionApi
{
    public static IEndpointRouteBuilder MapOpsSessionApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(OpsAuthentication.LogoutPath, SignOutAsync).RequireAuthorization(OpsAuthentication.Policy).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(ApiProblems.Build(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Not allowed.",
                "The form's antiforgery token is missing or invalid; sign out from the console's own page.", []));
        }

        await context.SignOutAsync(OpsAuthentication.CookieScheme);
        return TypedResults.Redirect(OpsAuthentication.LoginPath);
    }
}
