using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Provisioner.Api.Security;
using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Ops;

/// <summary>
/// How an operator session behaves: it ends when the key that opened it is revoked, and a caller that is no
/// browser gets the API's own 401/403 problem instead of a redirect to a login form it cannot use.
/// </summary>
internal sealed class OpsSessionEvents(ApiKeyService keys) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var keyId = context.Principal?.KeyId();
        if (keyId is null || !await keys.IsActiveAsync(keyId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(OpsAuthentication.CookieScheme);
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        OpsAuthentication.AcceptsHtml(context.Request) && !IsScript(context.Request)
            ? base.RedirectToLogin(context)
            : context.HttpContext.ChallengeAsync(ApiKeyAuthentication.SchemeName);

    // A session holds only admin keys, so this is reached only if that changes; answer as the API does.
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        context.HttpContext.ForbidAsync(ApiKeyAuthentication.SchemeName);

    // The dashboard's own polling, after its session ended: a redirect would hand the script an HTML page.
    private static bool IsScript(HttpRequest request) => request.Headers.XRequestedWith == "XMLHttpRequest";
}
