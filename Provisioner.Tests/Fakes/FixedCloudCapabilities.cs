using Provisioner.Core.Instances;
using Provisioner.Core.Providers;

namespace Provisioner.Tests.Fakes;

/// <summary>Capabilities a test decides per provider; every other provider can do everything.</summary>
public sealed class FixedCloudCapabilities : ICloudCapabilities
{
    public static readonly ProviderCapabilities Everything = new() { Spot = true, UserData = true, DeadManSwitch = true, ResourceTags = true };

    public Dictionary<CloudProviderName, ProviderCapabilities> Declared { get; } = [];

    public ProviderCapabilities For(CloudProviderName provider) => Declared.GetValueOrDefault(provider, Everything);
}
