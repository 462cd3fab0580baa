namespace Provisioner.Core.Catalog.Check;

/// <summary>What a <see cref="CatalogMismatch"/> says. The first two degrade <c>/health/ready</c>; the third does not.</summary>
public static class CatalogMismatchKind
{
    /// <summary>The catalog sells a type in a region where the cloud's list has no such type, under any spelling: launches of it fail.</summary>
    public const string UnknownToCloud = "UNKNOWN_TO_CLOUD";

    /// <summary>The cloud sells a type, in a GPU family the catalog covers, that the catalog lacks in that region.</summary>
    public const string NotInCatalog = "NOT_IN_CATALOG";

    /// <summary>The cloud spells a catalog type differently (case, a known alias); launches resolve it, so this only informs.</summary>
    public const string SpelledDifferently = "SPELLED_DIFFERENTLY";

    public static readonly IReadOnlyList<string> Degrading = [UnknownToCloud, NotInCatalog];
}
