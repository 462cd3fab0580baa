namespace Provisioner.Core.Providers;

/// <summary>
/// The tags every machine we launch carries, so reconciliation finds ours and only ours. The cluster name
/// keeps two deployments that share a cloud account from reaping each other's machines.
/// </summary>
public static class OwnershipTags
{
    public const string Prefix = "provisioner:";
    public const string InstanceId = "provisioner:instance-id";
    public const string Owner = "provisioner:owner";
    public const string Cluster = "provisioner:cluster";

    /// <summary>The client's tags plus ours; ours win, and clients cannot send keys under our prefix.</summary>
    public static IReadOnlyDictionary<string, string> Merge(LaunchSpec spec, string clusterName)
    {
        var tags = new Dictionary<string, string>(spec.Tags, StringComparer.Ordinal)
        {
            [InstanceId] = spec.InstanceId.ToString(),
            [Owner] = spec.Owner,
            [Cluster] = clusterName,
        };
        return tags;
    }

    /// <summary>Reads our instance id back from a machine's tags.</summary>
    public static Guid? ReadInstanceId(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue(InstanceId, out var value) && Guid.TryParse(value, out var id) ? id : null;
}
