using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Security;

/// <summary>Who may call what: tenants their instances, operators the admin endpoints. Neither does the other's work.</summary>
internal static class Policies
{
    public const string Tenant = "tenant";
    public const string Admin = "admin";
    public const string AnyKey = "any-key";

    public static IServiceCollection AddProvisionerSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Tenant, p => p.RequireRole(nameof(ApiKeyRole.Tenant)))
            .AddPolicy(Admin, p => p.RequireRole(nameof(ApiKeyRole.Admin)))
            .AddPolicy(AnyKey, p => p.RequireAuthenticatedUser());
        return services;
    }
}
