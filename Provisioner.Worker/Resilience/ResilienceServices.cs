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

        services.AddOptions<CloudApiBudgetOptions>().Bind(configuration.GetSection(CloudApiBudgetOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudApiBudgetOptions>, CloudApiBudgetOptionsValidator>();
        services.AddSingleton<CloudApiBudgets>();
        services.AddSingleton<CloudCircuitRecorder>();
        services.AddSingleton(sp => new CloudResiliencePipelines(
            sp.GetRequiredService<IOptionsMonitor<CloudResilienceOptions>>().Get,
            sp.GetRequiredService<CloudCircuitRecorder>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ProvisionerMetrics>(),
            sp.GetRequiredService<ProviderCallCounts>(),
            sp.GetRequiredService<CloudApiBudgets>()));
        services.AddSingleton<CloudCallTelemetry>();
        services.AddSingleton<ICloudProviderDecorator, CloudResilienceDecorator>();
        return services;
    }

    /// <summary>
    /// The flush of call counts to <c>provider_call_stats</c>. Registered before the job servers on purpose:
    /// hosted services stop in reverse order, so it stops after them and its last flush has the drain's calls.
    /// </summary>
    public static IServiceCollection AddProviderCallStats(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<ProviderCallStatsOptions>(configuration, ProviderCallStatsOptions.Section);
        services.AddSingleton<ProviderCallCounts>();
        services.AddSingleton<ProviderCallStatsWriter>();
        services.AddHostedService<ProviderCallStatsFlusher>();
        return services;
    }
}
