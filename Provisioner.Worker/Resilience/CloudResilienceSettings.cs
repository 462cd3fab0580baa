using Microsoft.Extensions.Options;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Binds the settings of one backend (the options name): <c>Resilience:Defaults</c> overlaid by
/// <c>Resilience:Providers:{BACKEND}</c>. The name <c>Defaults</c> yields the defaults alone.
/// </summary>
internal sealed class CloudResilienceSettings(IConfiguration configuration) : IConfigureNamedOptions<CloudResilienceOptions>
{
    public const string Defaults = "Defaults";

    public void Configure(string? name, CloudResilienceOptions options)
    {
        configuration.GetSection($"{CloudResilienceOptions.Section}:{Defaults}").Bind(options);
        if (!string.IsNullOrEmpty(name) && name != Defaults)
        {
            configuration.GetSection(ProviderSection(name)).Bind(options);
        }
    }

    public void Configure(CloudResilienceOptions options) => Configure(Options.DefaultName, options);

    /// <summary>The key an operator set for a backend's property: its own section's if there, else the default's.</summary>
    public static string KeyFor(IConfiguration configuration, string backend, string property) =>
        backend != Defaults && configuration[$"{ProviderSection(backend)}:{property}"] is not null
            ? $"{ProviderSection(backend)}:{property}"
            : $"{CloudResilienceOptions.Section}:{Defaults}:{property}";

    /// <summary>The backends with a section of their own.</summary>
    public static IEnumerable<string> ConfiguredBackends(IConfiguration configuration) =>
        configuration.GetSection($"{CloudResilienceOptions.Section}:Providers").GetChildren().Select(c => c.Key);

    private static string ProviderSection(string backend) => $"{CloudResilienceOptions.Section}:Providers:{backend}";
}
