namespace Provisioner.Client.Models;

/// <summary>An API key as operators see it (never its secret).</summary>
public sealed record ApiKey(string Id, string Tenant, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The one answer that carries a key's secret.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);

/// <param name="Role"><c>tenant</c> (default) or <c>admin</c>.</param>
public sealed record CreateApiKeyRequest(string Tenant, string Name, string? Role = null);
