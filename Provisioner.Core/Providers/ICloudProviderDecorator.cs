namespace Provisioner.Core.Providers;

/// <summary>
/// Wraps every cloud adapter a process uses (resilience, metrics). The workers register one; the API, which
/// never calls a cloud, registers none.
/// </summary>
public interface ICloudProviderDecorator
{
    ICloudProvider Decorate(ICloudProvider provider);
}
