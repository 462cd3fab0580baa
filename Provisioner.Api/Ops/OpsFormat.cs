using System.Globalization;
using Provisioner.Api.Hosting;

namespace Provisioner.Api.Ops;

/// <summary>How the console writes times, money and states: UTC always, so operators in any zone read the same thing.</summary>
internal static class OpsFormat
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTimeOffset? at) => at is { } value ? Time(value) : "—";

    public static string Usd(decimal amount) => amount.ToString("$#,##0.00##", CultureInfo.InvariantCulture);

    public static string Usd(decimal? amount) => amount is { } value ? Usd(value) : "—";

    /// <summary>Enum names as the API spells them (upper case), so the console and the API's answers match.</summary>
    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToUpperInvariant();

    public static T? Parse<T>(string? text) where T : struct, Enum =>
        EnumValue.TryParse<T>(text?.Replace("_", "", StringComparison.Ordinal), out var value) ? value : null;

    public static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
