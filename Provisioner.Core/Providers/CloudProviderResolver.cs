using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers;

/// <summary>
/// Maps provider names to adapters. A provider with no adapter configured is served by the simulated
/// cloud, so the original design's requests work on a machine with no cloud credentials.
/// </summary>
internal sealed class CloudProviderResolver : ICloudProviderResolver
{
    private readonly IReadOnlyDictionary<CloudProviderName, ICloudProvider> _configured;
    private readonly ICloudProvider _fallback;
    private readonly IReadOnlyDictionary<string, ICloudProvider> _byName;

    public CloudProviderResolver(IEnumerable<KeyValuePair<CloudProviderName, ICloudProvider>> configured, ICloudProvider fallback)
    {
        _configured = configured.ToDictionary();
        _fallback = fallback;
        _byName = _configured.Values.Append(fallback)
            .DistinctBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<ICloudProvider> All => [.. _byName.Values];

    public ICloudProvider ForRequested(CloudProviderName provider) =>
        _configured.TryGetValue(provider, out var adapter) ? adapter : _fallback;

    public ICloudProvider ForBackend(string backend) =>
        _byName.TryGetValue(backend, out var adapter)
            ? adapter
            : throw new InvalidOperationException(
                $"No cloud adapter named '{backend}' is configured in this process; instances launched on it cannot be managed.");
}
