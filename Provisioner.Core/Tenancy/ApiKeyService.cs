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

    /// <summary>
    /// The key with this id (null when there is none), read at most once at a time: requests presenting the same id
    /// while its read is under way share that read, so a burst of a new or just-expired key costs one read, and
    /// <paramref name="mayRead"/> is asked only by the request that would start one (the caller's permit for it).
    /// </summary>
    /// <returns>The lookup to await; null when a read was needed and <paramref name="mayRead"/> refused it.</returns>
    public Task<ApiKey?>? LookUpOnce(string id, Func<bool> mayRead)
    {
        TaskCompletionSource<Remembered> reading;
        lock (ReadingLock)
        {
            if (cache.TryGetValue(CacheKey(id), out Remembered? remembered) && remembered is not null)
            {
                return Task.FromResult(remembered.Key);
            }

            if (cache.TryGetValue(ReadingKey(id), out TaskCompletionSource<Remembered>? underWay) && underWay is not null)
            {
                return KeyOf(underWay.Task);
            }

            if (!mayRead())
            {
                return null;
            }

            reading = new TaskCompletionSource<Remembered>(TaskCreationOptions.RunContinuationsAsynchronously);
            // In the process-wide cache (this service is transient); the entry's lifetime only bounds a read that hangs.
            cache.Set(ReadingKey(id), reading, clock.GetUtcNow() + CacheFor);
        }

        _ = ReadAsync(id, reading);
        return KeyOf(reading.Task);
    }

    private static readonly Lock ReadingLock = new();

    private static async Task<ApiKey?> KeyOf(Task<Remembered> read) => (await read).Key;

    // Not cancelled by the request that started it: others may be waiting for the same answer.
    private async Task ReadAsync(string id, TaskCompletionSource<Remembered> reading)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var remembered = new Remembered(await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, CancellationToken.None));
            metrics?.KeyLookedUp(found: remembered.Key is not null);
            cache.Set(CacheKey(id), remembered, clock.GetUtcNow() + CacheFor);
            reading.SetResult(remembered);
        }
        catch (Exception error)
        {
            reading.SetException(error);
        }
        finally
        {
            lock (ReadingLock)
            {
                cache.Remove(ReadingKey(id));
            }
        }
    }

    private async Task<ApiKey?> FindCachedAsync(string id, CancellationToken cancellationToken) =>
        await LookUpOnce(id, static () => true)!.WaitAsync(cancellationToken);

    /// <summary>A lookup's answer, the key or its absence.</summary>
    private sealed record Remembered(ApiKey? Key);

    private static string CacheKey(string id) => $"api-key:{id}";

    private static string ReadingKey(string id) => $"api-key-reading:{id}";
}
