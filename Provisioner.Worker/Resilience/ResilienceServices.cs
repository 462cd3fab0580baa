using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Telemetry;

namespace Provisioner.Worker.Resilience;

/// <summary>Registers the pipelines, with each provider's settings read as defaults overlaid by its own section.</summary>
internal static class ResilienceServices
{
    public static IServiceCollection AddCloudResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConfigureOptions<CloudResilienceOptions>>(new CloudResilienceSettings(configuration));
        services.AddSettingsValidator<CloudResilienceOptions>((backend, property) => CloudResilienceSettings.KeyFor(configuration, backend, property));
        // Checked at start: the defaults, and every provider that has settings of its own.
        foreach (var name in CloudResilienceSettings.ConfiguredBackends(configuration).Prepend(CloudResilienceSettings.Defaults))
        {
            services.AddOptions<CloudResilienceOptions>(name).ValidateOnStart();
        }

        services.AddSingleton<CloudCircuitRecorder>();
        services.AddSingleton(sp => new CloudResiliencePipelines(
            sp.GetRequiredService<IOptionsMonitor<CloudResilienceOptions>>().Get,
            sp.GetRequiredService<CloudCircuitRecorder>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ProvisionerMetrics>()));
        services.AddSingleton<CloudCallTelemetry>();
        services.AddSingleton<ICloudProviderDecorator, CloudResilienceDecorator>();
        return services;
    }
}
