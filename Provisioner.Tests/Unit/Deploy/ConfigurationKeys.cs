using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Worker.Resilience;

namespace Provisioner.Tests.Unit.Deploy;

/// <summary>
/// Every setting the processes read, found from the options classes themselves (each declares its <c>Section</c>),
/// so a deploy file naming a setting that does not exist (a typo, a renamed property) is caught.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Keys read outside any options class, and prefixes owned by the framework, OpenTelemetry or the C library (MALLOC_).</summary>
    private static readonly string[] Fixed = ["ConnectionStrings:Provisioner", "Urls"];

    private static readonly string[] FixedPrefixes = ["Logging:", "OTEL_", "ASPNETCORE_", "DOTNET_", "MALLOC_"];

    public static IReadOnlyList<Type> OptionsTypes { get; } =
    [
        .. new[] { typeof(ProvisionerOptions).Assembly, typeof(Provisioner.Api.Hosting.ApiServices).Assembly, typeof(CloudResilienceOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && SectionOf(t) is not null),
    ];

    /// <summary>An environment variable's name as a configuration key (<c>Jobs__WorkerCount</c> → <c>Jobs:WorkerCount</c>).</summary>
    public static string FromEnvironment(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    public static bool Exists(string key)
    {
        if (Fixed.Contains(key, StringComparer.OrdinalIgnoreCase) || FixedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var type in OptionsTypes)
        {
            foreach (var section in SectionsOf(type))
            {
                if (!key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var rest = key[(section.Length + 1)..].Split(':');
                var property = type.GetProperty(rest[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                // A collection or dictionary setting takes further segments (Providers:Aws:Images:us-east-1).
                if (property is { CanWrite: true } && (rest.Length == 1 || typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Binds every options class from <paramref name="settings"/> and runs the start-up validation on it: the
    /// values a deploy file gives must be ones the processes accept.
    /// </summary>
    public static IReadOnlyList<string> ValidationFailures(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var failures = new List<string>();
        var register = typeof(ValidatedSettings).GetMethod(nameof(ValidatedSettings.AddValidatedSettings))!;
        foreach (var type in OptionsTypes.Where(t => t != typeof(CloudResilienceOptions)))
        {
            var services = new ServiceCollection();
            register.MakeGenericMethod(type).Invoke(null, [services, configuration, SectionOf(type)]);
            var options = services.BuildServiceProvider().GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            try
            {
                _ = options.GetType().GetProperty("Value")!.GetValue(options);
            }
            catch (TargetInvocationException error) when (error.InnerException is OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures);
            }
        }

        return failures;
    }

    private static string? SectionOf(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? (string?)field.GetRawConstantValue() : null;

    private static IEnumerable<string> SectionsOf(Type type) =>
        type == typeof(CloudResilienceOptions)
            // Defaults, and one section per provider (Resilience:Providers:AWS:...).
            ? ["Resilience:Defaults", .. new[] { "AWS", "AZURE", "NOVITA", "SIMULATED" }.Select(p => $"Resilience:Providers:{p}")]
            : [SectionOf(type)!];
}
