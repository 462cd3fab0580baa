using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Hosting;
using Provisioner.Api.Ops.Actions;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Operations;
using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Admin;

/// <summary><c>/api/admin/keys</c>: operators create, list and revoke API keys. Secrets are shown once, at creation.</summary>
public static partial class AdminKeysApi
{
    public static IEndpointRouteBuilder MapAdminKeysApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/keys").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreateApiKey").WithSummary("Create a key for a tenant (or an operator); the secret is in this answer only.");
        admin.MapGet("/", ListAsync).WithName("ListApiKeys").WithSummary("Every key, without secrets.");
        admin.MapDelete("/{id}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revoke a key; revoking again changes nothing.");
        return endpoints;
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ProblemHttpResult>> CreateAsync(
        CreateKeyRequest request, ApiKeyService keys, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (request.Tenant is null || !TenantRegex().IsMatch(request.Tenant))
        {
            errors.Add(new FieldError("tenant", ProblemCodes.InvalidValue, "tenant must be 1-63 lower-case letters, digits and dashes."));
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200 || request.Name.Any(char.IsControl))
        {
            errors.Add(new FieldError("name", ProblemCodes.InvalidValue, "name must be 1-200 characters without control characters."));
        }

        if (!EnumValue.TryParse<ApiKeyRole>(request.Role ?? nameof(ApiKeyRole.Tenant), out var role))
        {
            errors.Add(new FieldError("role", ProblemCodes.InvalidValue, "role must be 'tenant' or 'admin'."));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var (key, secret) = await keys.CreateAsync(request.Tenant!, request.Name!, role, cancellationToken);
        await audit.RecordAsync(user, OpsActions.CreateKey, key.Id, null,
            AuditTrail.Change(null, $"{key.Role.ToString().ToUpperInvariant()} key '{key.Name}' of tenant {key.Tenant}"), cancellationToken);
        return TypedResults.Created($"/api/admin/keys/{key.Id}", new CreatedKeyResponse(ApiKeyResponse.From(key), secret));
    }

    private static async Task<Ok<ApiKeyListResponse>> ListAsync(ApiKeyService keys, CancellationToken cancellationToken)
    {
        var all = await keys.ListAsync(cancellationToken);
        return TypedResults.Ok(new ApiKeyListResponse([.. all.Select(ApiKeyResponse.From)], all.Count));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeAsync(
        string id, ApiKeyService keys, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var before = id.Length <= 16 ? (await keys.ListAsync(cancellationToken)).SingleOrDefault(k => k.Id == id) : null;
        var key = before is null ? null : await keys.RevokeAsync(id, cancellationToken);
        if (key is null)
        {
            return TypedResults.Problem(ApiProblems.Build(StatusCodes.Status404NotFound, ProblemCodes.KeyNotFound, "No such key.", $"No API key with id '{id[..Math.Min(id.Length, 16)]}'.", []));
        }

        await audit.RecordAsync(user, OpsActions.RevokeKey, key.Id, null, AuditTrail.Change(
            before!.RevokedAt is { } was ? $"revoked at {was:u}" : $"active ('{key.Name}' of tenant {key.Tenant})", $"revoked at {key.RevokedAt:u}"), cancellationToken);
        return TypedResults.Ok(ApiKeyResponse.From(key));
    }

    [GeneratedRegex(ApiKeyService.TenantPattern)]
    private static partial Regex TenantRegex();
}

public sealed record CreateKeyRequest(string? Tenant, string? Name, string? Role);

/// <summary>A key as operators see it: never its secret.</summary>
public sealed record ApiKeyResponse(string Id, string Tenant, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey key) =>
        new(key.Id, key.Tenant, key.Name, key.Role.ToString().ToUpperInvariant(), key.CreatedAt, key.RevokedAt);
}

/// <summary>The one answer that carries the full key.</summary>
public sealed record CreatedKeyResponse(ApiKeyResponse Key, string Secret);

public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Keys, int Count);
