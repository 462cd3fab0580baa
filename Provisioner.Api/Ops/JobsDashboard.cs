using Hangfire;
using Hangfire.Dashboard;

namespace Provisioner.Api.Ops;

/// <summary>
/// Hangfire's dashboard at <c>/ops/jobs</c>, behind the operator policy instead of Hangfire's own filters.
/// Its POST actions keep Hangfire's antiforgery check (it validates with ASP.NET Core's antiforgery service).
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/ops/jobs";

    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        // The dashboard's stats route reads a posted form; a GET made it throw (500). A literal route outranks the
        // dashboard's catch-all, so GET gets the 405 every other endpoint gives for a wrong method.
        endpoints.MapGet(Path + "/stats", (HttpContext context) =>
        {
            context.Response.Headers.Allow = "POST";
            return TypedResults.Problem(Problems.ApiProblems.Build(StatusCodes.Status405MethodNotAllowed, Problems.ProblemCodes.MethodNotAllowed,
                "Method not allowed.", "The jobs dashboard's stats are read with POST (the dashboard's own pages do so).", []));
        }).RequireAuthorization(OpsAuthentication.Policy).ExcludeFromDescription();
        return endpoints.MapHangfireDashboardWithAuthorizationPolicy(OpsAuthentication.Policy, Path, new DashboardOptions
        {
            // The default filter admits local requests only; the policy decides instead, wherever the caller is.
            Authorization = [],
            AsyncAuthorization = [],
            AppPath = OpsAuthentication.BasePath,
            DashboardTitle = "Provisioner jobs",
            // The footer would otherwise show the database's connection string.
            DisplayStorageConnectionString = false,
        });
    }
}
