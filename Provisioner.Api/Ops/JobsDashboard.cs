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

    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboardWithAuthorizationPolicy(OpsAuthentication.Policy, Path, new DashboardOptions
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
