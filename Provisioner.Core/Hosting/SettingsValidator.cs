using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>
/// Checks a settings object's data annotations (and <see cref="IValidatableObject"/> rules) and reports each
/// failure by the key an operator sets, e.g. <c>Jobs:WorkerCount must be between 1 and 100 (it is 0)</c>.
/// The framework's own data-annotation validator names only the CLR member ("The field WorkerCount ..."),
/// which leaves the operator to guess the section and the environment variable.
/// </summary>
/// <param name="keyFor">The setting key of a property, given the options instance's name and the property's.</param>
internal sealed class SettingsValidator<T>(Func<string, string, string> keyFor) : IValidateOptions<T>
    where T : class
{
    private static readonly PropertyInfo[] Properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttributes<ValidationAttribute>().Any())
        .ToArray();

    public ValidateOptionsResult Validate(string? name, T options)
    {
        name ??= Options.DefaultName;
        var failures = new List<string>();
        foreach (var property in Properties)
        {
            var value = property.GetValue(options);
            var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = property.Name };
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (rule.GetValidationResult(value, context) is { } broken && broken != ValidationResult.Success)
                {
                    failures.Add(Describe(keyFor(name, property.Name), rule, value, broken));
                }
            }
        }

        if (options is IValidatableObject rules)
        {
            // These rules name their keys themselves (they may involve several settings at once).
            failures.AddRange(rules.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? $"{typeof(T).Name} is invalid"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Describe(string key, ValidationAttribute rule, object? value, ValidationResult broken) => rule switch
    {
        RequiredAttribute => $"{key} is required",
        RangeAttribute range => $"{key} must be between {Show(range.Minimum)} and {Show(range.Maximum)} (it is {Show(value)})",
        RegularExpressionAttribute pattern => $"{key} must match {pattern.Pattern} (it is '{Show(value)}')",
        _ => $"{key}: {broken.ErrorMessage}",
    };

    private static string Show(object? value) => value switch
    {
        null => "not set",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
