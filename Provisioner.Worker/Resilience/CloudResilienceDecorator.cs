using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>Puts every adapter the worker uses behind its resilience pipelines.</summary>
internal sealed class CloudResilienceDecorator(CloudResiliencePipelines pipelines, CloudCallTelemetry telemetry, ProviderCallCounts callCounts) : ICloudProviderDecorator
{
    public ICloudProvider Decorate(ICloudProvider provider) => new ResilientCloudProvider(provider, pipelines, telemetry, callCounts);
}
