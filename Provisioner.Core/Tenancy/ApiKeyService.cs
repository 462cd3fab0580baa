using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Provisioner.Core.Persistence;
using Provisioner.Core.Telemetry;

namespace Provisioner.Core.Tenancy;

/// <summary>A key that checked out: who is calling and as what.</summary>
public sealed record Caller(string KeyId, string Tenant, ApiKeyRole Role);

/// <summary>Creates, lists, revokes and checks API keys.</summary>
public sealed class ApiKeyService(
    IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock, IMemoryCache cache, ProvisionerMetrics? metrics = null)
{
    /// <summary>
    /// How long a checked key is remembered, so a request costs no database read for its key. A key revoked
    /// through this process is forgotten at once; one revoked elsewhere stops working here within this time.
    /// An id with no key is remembered as long, so a caller repeating an unknown key costs one read, not one each.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    /// <summary>Tenant names: what instances are owned by, and what cloud tags carry.</summary>
    public const string TenantPattern = "^[a-z0-9][a-z0-9-]{0,62}$";

    /// <returns>The stored key, and the full key string, which is never available again.</returns>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string tenant, string name, ApiKeyRole role, CancellationToken cancellationToken)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(tenant, TenantPattern))
        {
            throw new ArgumentException($"Tenant '{tenant}' must be 1-63 lower-case letters, digits and dashes, starting with a letter or digit.", nameof(tenant));
        }

        var (id, secret, full) = ApiKeySecret.Generate();
        var key = new ApiKey(id, tenant, name, role, ApiKeySecret.Hash(secret), clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(CacheKey(id));
        return (key, full);
    }

    /// <summary>The caller a presented key stands for, or null for a malformed, unknown, wrong or revoked key.</summary>
    public async Task<Caller?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        // Cached by key id: the secret is still checked against the stored hash on every request.
        var key = await FindCachedAsync(id, cancellationToken);
        return key is { IsActive: true } && ApiKeySecret.Matches(secret, key.SecretHash)
            ? new Caller(key.Id, key.Tenant, key.Role)
            : null;
    }

    /// <summary>
    /// Whether the key with this id exists and is not revoked: for sessions opened with a key, which end when
    /// their key is revoked. Cached like <see cref="AuthenticateAsync"/>.
    /// </summary>
    public async Task<bool> IsActiveAsync(string id, CancellationToken cancellationToken) =>
        await FindCachedAsync(id, cancellationToken) is { IsActive: true };

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.Tenant).ThenBy(k => k.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <returns>The key after the call, or null when no key has this id. Revoking twice changes nothing.</returns>
    public async Task<ApiKey?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        key?.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(CacheKey(id));
        return key;
    }

    /// <summary>Whether checking the key with this id would need no database read (it, or its absence, is remembered).</summary>
    public bool IsRemembered(string id) => cache.TryGetValue(CacheKey(id), out Remembered? _);

    private async Task<ApiKey?> FindCachedAsync(string id, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(CacheKey(id), out Remembered? remembered) || remembered is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            remembered = new Remembered(await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken));
            metrics?.KeyLookedUp(found: remembered.Key is not null);
            cache.Set(CacheKey(id), remembered, clock.GetUtcNow() + CacheFor);
        }

        return remembered.Key;
    }

    /// <summary>A lookup's answer, the key or its absence.</summary>
    private sealed record Remembered(ApiKey? Key);

    private static string CacheKey(string id) => $"api-key:{id}";
}
