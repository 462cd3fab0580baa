using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;

namespace Provisioner.Tests.Fakes;

/// <summary>
/// Capabilities a test decides per provider; every other provider can do everything. The clouds' request rules (tag
/// limits) are always the ones their adapters declare.
/// </summary>
public sealed class FixedCloudCapabilities : ICloudCapabilities
{
    private static readonly ICloudCapabilities AdapterDeclared = new ServiceCollection()
        .AddCloudProviders(new ConfigurationBuilder().Build())
        .BuildServiceProvider()
        .GetRequiredService<ICloudCapabilities>();

    public static readonly ProviderCapabilities Everything = new() { Spot = true, UserData = true, DeadManSwitch = true, ResourceTags = true };

    public Dictionary<CloudProviderName, ProviderCapabilities> Declared { get; } = [];

    public IReadOnlyList<string> ReservedTagPrefixes => AdapterDeclared.ReservedTagPrefixes;

    public ProviderCapabilities For(CloudProviderName provider) =>
        Declared.GetValueOrDefault(provider, Everything) with { RequestRules = AdapterDeclared.For(provider).RequestRules };
}
