using Provisioner.Core.Instances;

namespace Provisioner.Core.Catalog.Check;

/// <summary>
/// One difference between our catalog and a cloud's own list, as the last catalog check found it; a check that no
/// longer finds it deletes the row. <see cref="FirstSeenAt"/> survives repeated checks, so an operator sees how old it is.
/// </summary>
public sealed class CatalogMismatch
{
    private CatalogMismatch()
    {
        Region = InstanceType = Kind = string.Empty;
    }

    public CatalogMismatch(CloudProviderName provider, string region, string instanceType, string kind, string? cloudName, DateTimeOffset seenAt)
    {
        Provider = provider;
        Region = region;
        InstanceType = instanceType;
        Kind = kind;
        CloudName = cloudName;
        FirstSeenAt = LastSeenAt = seenAt;
    }

    public CloudProviderName Provider { get; private set; }

    public string Region { get; private set; }

    /// <summary>The catalog's name, or for <see cref="CatalogMismatchKind.NotInCatalog"/> the cloud's.</summary>
    public string InstanceType { get; private set; }

    /// <summary>One of <see cref="CatalogMismatchKind"/>.</summary>
    public string Kind { get; private set; }

    /// <summary>For <see cref="CatalogMismatchKind.SpelledDifferently"/>: the cloud's spelling, which launches use.</summary>
    public string? CloudName { get; private set; }

    public DateTimeOffset FirstSeenAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    public void SeenAgain(string? cloudName, DateTimeOffset at)
    {
        CloudName = cloudName;
        LastSeenAt = at;
    }
}
