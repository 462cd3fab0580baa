using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers;

/// <summary>
/// What an adapter's <c>Add{Cloud}Provider</c> registers: the provider name it serves, what it can do, and, when
/// it is configured in this process, how to build it. Capabilities are registered even when the adapter is not
/// configured here (the API never configures one), so requests are judged by the cloud they name.
/// </summary>
/// <param name="Adapter">Null when the cloud is not configured in this process: the simulated cloud stands in.</param>
public sealed record CloudProviderRegistration(
    CloudProviderName Provider,
    ProviderCapabilities Capabilities,
    Func<IServiceProvider, ICloudProvider>? Adapter);
