using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers;

/// <summary>The capabilities that apply to requests naming a provider.</summary>
public interface ICloudCapabilities
{
    /// <summary>
    /// The declared capabilities of <paramref name="provider"/>'s adapter, or, for a cloud with no adapter yet,
    /// those of the simulated cloud that serves it.
    /// </summary>
    ProviderCapabilities For(CloudProviderName provider);

    /// <summary>Every registered cloud's reserved tag prefixes (<see cref="CloudRequestRules.ReservedTagPrefixes"/>), in registration order.</summary>
    IReadOnlyList<string> ReservedTagPrefixes { get; }
}
