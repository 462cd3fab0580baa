namespace Provisioner.Core.Tenancy;

/// <summary>
/// A credential. Only a hash of its secret is stored; the full key (<c>prov_{Id}_{secret}</c>) is shown once,
/// when it is created.
/// </summary>
public sealed class ApiKey
{
    private ApiKey()
    {
        Id = Tenant = Name = SecretHash = string.Empty;
    }

    internal ApiKey(string id, string tenant, string name, ApiKeyRole role, string secretHash, DateTimeOffset createdAt)
    {
        Id = id;
        Tenant = tenant;
        Name = name;
        Role = role;
        SecretHash = secretHash;
        CreatedAt = createdAt;
    }

    /// <summary>The public part of the key, safe to log and show.</summary>
    public string Id { get; private set; }

    public string Tenant { get; private set; }

    /// <summary>What the key is for, in the operator's words.</summary>
    public string Name { get; private set; }

    public ApiKeyRole Role { get; private set; }

    /// <summary>SHA-256 of the secret, hex. Secrets are 256 random bits, so a fast hash is enough.</summary>
    public string SecretHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
