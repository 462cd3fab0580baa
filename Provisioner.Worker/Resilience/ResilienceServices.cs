using System.ComponentModel.DataAnnotations;
using Provisioner.Core.Providers;

namespace Provisioner.Worker.Resilience;

/// <summary>Registers the pipelines, with each provider's settings read as defaults overlaid by its own section.</summary>
internal static class ResilienceServices
{
    public static IServiceCollection AddCloudResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CloudCircuitRecorder>();
        services.AddSingleton(sp => new CloudResiliencePipelines(
            backend => OptionsFor(configuration, backend),
            sp.GetRequiredService<CloudCircuitRecorder>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICloudProviderDecorator, CloudResilienceDecorator>();
        return services;
    }

    public static CloudResilienceOptions OptionsFor(IConfiguration configuration, string backend)
    {
        var options = new CloudResilienceOptions();
        configuration.GetSection($"{CloudResilienceOptions.Section}:Defaults").Bind(options);
        configuration.GetSection($"{CloudResilienceOptions.Section}:Providers:{backend}").Bind(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
