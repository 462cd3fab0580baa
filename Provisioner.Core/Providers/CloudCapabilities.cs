using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers;

internal sealed class CloudCapabilities(IEnumerable<CloudProviderRegistration> registrations, ProviderCapabilities fallback) : ICloudCapabilities
{
    private readonly IReadOnlyDictionary<CloudProviderName, ProviderCapabilities> _declared =
        registrations.ToDictionary(r => r.Provider, r => r.Capabilities);

    public IReadOnlyList<string> ReservedTagPrefixes { get; } =
        [.. registrations.SelectMany(r => r.Capabilities.RequestRules.ReservedTagPrefixes).Distinct(StringComparer.OrdinalIgnoreCase)];

    public ProviderCapabilities For(CloudProviderName provider) =>
        _declared.TryGetValue(provider, out var capabilities) ? capabilities : fallback;
}
