using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>
/// Every settings section is registered through here: bound, validated with messages naming the setting, and
/// validated when the host starts, so a wrong value stops the process at once instead of surfacing at the
/// first job that reads it.
/// </summary>
public static class ValidatedSettings
{
    public static OptionsBuilder<T> AddValidatedSettings<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>((_, property) => $"{section}:{property}"));
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>For named instances (one per provider, say): <paramref name="keyFor"/> gives a property's key from the name.</summary>
    public static IServiceCollection AddSettingsValidator<T>(this IServiceCollection services, Func<string, string, string> keyFor)
        where T : class =>
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(keyFor));
}
