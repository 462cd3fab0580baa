using System.Security.Claims;

namespace Provisioner.Api.Security;

/// <summary>Who is calling, read from the authenticated key: never from the request body.</summary>
internal static class CallerExtensions
{
    public static string Tenant(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthentication.TenantClaim)
        ?? throw new InvalidOperationException("The endpoint was reached without an authenticated tenant.");

    public static string? KeyId(this ClaimsPrincipal user) => user.FindFirstValue(ApiKeyAuthentication.KeyIdClaim);
}
