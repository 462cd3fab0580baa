using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Provisioner.Api.Security;
using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Ops;

/// <summary>
/// Who may open the operator pages: an admin key sent as a header (scripts, curl), or a browser session opened
/// with an admin key at <c>/ops/login</c>. A policy scheme picks one per request: a request that sends a key is
/// judged by that key alone, never by a cookie it also carries.
/// </summary>
internal static class OpsAuthentication
{
    /// <summary>The policy scheme: the API key scheme when a key is sent, the session cookie otherwise.</summary>
    public const string Scheme = "Ops";
    public const string CookieScheme = "OpsSession";
    public const string CookieName = "provisioner-ops";
    public const string Policy = "ops-admin";
    public const string BasePath = "/ops";
    public const string LoginPath = "/ops/login";
    public const string LogoutPath = "/ops/logout";

    /// <summary>A session ends after this long without a request; each request in the second half renews it.</summary>
    public static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromMinutes(30);

    public static IServiceCollection AddOpsAuthentication(this IServiceCollection services)
    {
        services.AddScoped<OpsSessionEvents>();
        services.AddAuthentication()
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                // Sent only to the operator pages: the /api endpoints never see (or trust) it.
                o.Cookie.Path = BasePath;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = SessionIdleTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = LoginPath;
                o.EventsType = typeof(OpsSessionEvents);
            })
            .AddPolicyScheme(Scheme, "Operator key or session", o =>
                o.ForwardDefaultSelector = context => SendsKey(context.Request) ? ApiKeyAuthentication.SchemeName : CookieScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(nameof(ApiKeyRole.Admin)));
        return services;
    }

    /// <summary>The session's identity: the key's id, tenant and role, never the key itself.</summary>
    public static ClaimsPrincipal SessionFor(Caller caller) => new(new ClaimsIdentity(
    [
        new Claim(ApiKeyAuthentication.KeyIdClaim, caller.KeyId),
        new Claim(ApiKeyAuthentication.TenantClaim, caller.Tenant),
        new Claim(ClaimTypes.Role, caller.Role.ToString()),
    ], CookieScheme));

    /// <summary>A browser asks for HTML; an API client (curl's <c>*/*</c> included) does not.</summary>
    public static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(media => media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static bool SendsKey(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Headers.ContainsKey(ApiKeyAuthentication.HeaderName);
}
