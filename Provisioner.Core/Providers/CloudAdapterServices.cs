using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers;

/// <summary>A real cloud adapter's settings: switched on per process (the API never enables one).</summary>
public interface ICloudAdapterOptions
{
    bool Enabled { get; }
}

/// <summary>
/// The one way an adapter registers: its settings from its own section (validated at start), its capabilities always
/// (the API judges requests by them without configuring the cloud), and, only where it is enabled, its client and
/// the adapter itself. Each <c>Add{Cloud}Provider</c> is a call to this with what differs.
/// </summary>
public static class CloudAdapterServices
{
    /// <param name="capabilities">What the adapter can do, from its settings (the regions it serves, say).</param>
    /// <param name="addClient">Registers what the adapter needs (its SDK client), when it is enabled.</param>
    /// <returns>The settings' builder, for rules across settings.</returns>
    public static OptionsBuilder<TOptions> AddCloudAdapter<TOptions, TAdapter>(
        this IServiceCollection services,
        IConfiguration configuration,
        CloudProviderName provider,
        string section,
        Func<TOptions, ProviderCapabilities> capabilities,
        Action<IServiceCollection> addClient)
        where TOptions : class, ICloudAdapterOptions, new()
        where TAdapter : class, ICloudProvider
    {
        var settings = services.AddValidatedSettings<TOptions>(configuration, section);
        var bound = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        Func<IServiceProvider, ICloudProvider>? adapter = null;
        if (bound.Enabled)
        {
            addClient(services);
            services.AddSingleton<TAdapter>();
            adapter = sp => sp.GetRequiredService<TAdapter>();
        }

        services.AddSingleton(new CloudProviderRegistration(provider, capabilities(bound), adapter));
        return settings;
    }
}
