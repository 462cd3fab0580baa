namespace Provisioner.Core.Tenancy;

/// <summary>What a key may do.</summary>
public enum ApiKeyRole
{
    /// <summary>Acts for one tenant: its instances only.</summary>
    Tenant,

    /// <summary>Operators: manages keys and sees the whole system; owns no instances.</summary>
    Admin,
}
