using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Provisioner.Api.Problems;
using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer prov_…</c> or <c>X-Api-Key: prov_…</c> against the stored key hashes.
/// No key: anonymous (endpoints that need one answer 401). A bad, unknown or revoked key: 401, whatever the
/// endpoint, so a client learns at once that its key is wrong.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string TenantClaim = "tenant";
    public const string KeyIdClaim = "key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var bearer = Request.Headers.Authorization.ToString();
        var apiKey = Request.Headers[HeaderName].ToString();
        if (bearer.Length == 0 && apiKey.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        string? presented = null;
        if (bearer.Length > 0)
        {
            if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'.");
            }

            presented = bearer["Bearer ".Length..].Trim();
        }

        if (apiKey.Length > 0)
        {
            if (presented is not null && presented != apiKey)
            {
                return AuthenticateResult.Fail("Authorization and X-Api-Key name different keys.");
            }

            presented = apiKey;
        }

        var caller = await keys.AuthenticateAsync(presented!, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(KeyIdClaim, caller.KeyId),
            new Claim(TenantClaim, caller.Tenant),
            new Claim(ClaimTypes.Role, caller.Role.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var failed = Context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure is not null
            || Request.Headers.Authorization.Count > 0 || Request.Headers.ContainsKey(HeaderName);
        return WriteAsync(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized,
            failed ? "The API key is missing, malformed, unknown or revoked." : "An API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "This key may not use this endpoint.");

    private Task WriteAsync(int status, string code, string detail) =>
        ApiProblems.WriteAsync(Context, ApiProblems.Build(status, code, status == 401 ? "Not authenticated." : "Not allowed.", detail, []));
}
