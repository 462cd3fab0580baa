namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// Novita has no client token and no tags: an instance's name is its identity. It carries our cluster and our instance
/// id (<c>prov-{cluster}-{id:N}</c>, letters, digits and hyphens as Novita allows), so a create can be preceded by a find
/// by name and reconciliation lists by the cluster's prefix (the port's rule for clouds without tokens).
/// </summary>
public static class NovitaNames
{
    private const int IdLength = 32;

    public static string For(string clusterName, Guid instanceId) => $"{PrefixOf(clusterName)}{instanceId:N}";

    /// <summary>
    /// Every name of <paramref name="clusterName"/> starts with this. The id after it has a fixed length, so another
    /// cluster whose slug merely starts the same (<c>blue</c>, <c>blue-2</c>) never reads as ours.
    /// </summary>
    public static string PrefixOf(string clusterName) => $"prov-{Slug(clusterName)}-";

    /// <summary>Our instance id, when <paramref name="name"/> is one of <paramref name="clusterName"/>'s names.</summary>
    public static Guid? ReadInstanceId(string clusterName, string? name)
    {
        var prefix = PrefixOf(clusterName);
        return name is not null && name.Length == prefix.Length + IdLength && name.StartsWith(prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(name.AsSpan(prefix.Length), "N", out var id)
            ? id
            : null;
    }

    /// <summary>The cluster name in the characters a Novita name allows: lower-case letters and digits, the rest hyphens.</summary>
    private static string Slug(string clusterName)
    {
        var chars = clusterName.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-').ToArray();
        var slug = new string(chars).Trim('-');
        return slug.Length == 0 ? "default" : slug.Length > 64 ? slug[..64] : slug;
    }
}
