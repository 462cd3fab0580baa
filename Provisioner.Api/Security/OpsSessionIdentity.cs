using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Provisioner.Api.Ops;

namespace Provisioner.Api.Security;

/// <summary>
/// Reads the console's session cookie before the rate limiter runs, so that a signed-in operator is limited as a
/// session (its own budget) and not as an anonymous caller sharing its address's budget with whoever floods it.
/// Only under <c>/ops</c> (the only path the cookie is sent to) and only when no key is sent: a key decides alone.
/// </summary>
internal static class OpsSessionIdentity
{
    public static bool IsSession(ClaimsPrincipal user) => user.Identity?.AuthenticationType == OpsAuthentication.CookieScheme;

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.User.Identity?.IsAuthenticated != true
            && context.Request.Path.StartsWithSegments(OpsAuthentication.BasePath, StringComparison.OrdinalIgnoreCase)
            && context.Request.Cookies.ContainsKey(OpsAuthentication.CookieName))
        {
            // The handler's result is kept for the request, so the operator policy does not read the cookie twice.
            var session = await context.AuthenticateAsync(OpsAuthentication.CookieScheme);
            if (session.Succeeded)
            {
                context.User = session.Principal;
            }
        }

        await next();
    }
}
