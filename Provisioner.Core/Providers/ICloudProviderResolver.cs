using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers;

/// <summary>Finds the adapter that serves a provider name, or the backend an instance recorded.</summary>
public interface ICloudProviderResolver
{
    /// <summary>The adapter for requests naming <paramref name="provider"/> (the simulated cloud when that cloud is not configured).</summary>
    ICloudProvider ForRequested(CloudProviderName provider);

    /// <summary>The adapter an instance was launched on, by its recorded backend name.</summary>
    ICloudProvider ForBackend(string backend);

    /// <summary>Every adapter configured in this process, each once.</summary>
    IReadOnlyCollection<ICloudProvider> All { get; }
}
