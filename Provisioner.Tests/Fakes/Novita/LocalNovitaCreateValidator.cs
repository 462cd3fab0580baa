using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Provisioner.Tests.Fakes.Novita;

/// <summary>
/// The body of <c>POST /gpu/instance/create</c>, checked as Novita's reference states it: required fields, types and
/// ranges, and no field it does not document (a misspelt <c>env</c> for <c>envs</c> is refused, not ignored).
/// </summary>
internal static partial class LocalNovitaCreateValidator
{
    private static readonly HashSet<string> Documented =
    [
        "name", "productId", "gpuNum", "rootfsSize", "imageUrl", "imageAuth", "imageAuthId", "ports", "envs", "tools", "command",
        "entrypoint", "clusterId", "networkStorages", "networkId", "kind", "month", "billingMode", "autoRenew", "autoRenewMonth",
        "minCudaVersion",
    ];

    public sealed record CreateBody(
        string Name, string ProductId, int GpuNum, int RootfsSize, string ImageUrl, string BillingMode, string? ClusterId, string? Ports,
        IReadOnlyDictionary<string, string> Envs);

    public static CreateBody Validate(JsonObject body)
    {
        foreach (var (key, _) in body)
        {
            Require(Documented.Contains(key), $"unknown field '{key}'");
        }

        var name = OptionalString(body, "name") ?? string.Empty;
        Require(name.Length <= 255 && NameRegex().IsMatch(name), "name must be 0-255 letters, numbers and hyphens");
        var productId = RequiredString(body, "productId", 255);
        var gpuNum = RequiredInt(body, "gpuNum");
        Require(gpuNum is >= 1 and <= 8, "gpuNum must be between 1 and 8");
        var rootfsSize = RequiredInt(body, "rootfsSize");
        Require(rootfsSize <= 6144, "rootfsSize must be at most 6144");
        var imageUrl = RequiredString(body, "imageUrl", 500);
        var kind = RequiredString(body, "kind", 8);
        Require(kind is "gpu" or "cpu", "kind must be gpu or cpu");
        var billingMode = OptionalString(body, "billingMode") ?? "onDemand";
        Require(billingMode is "onDemand" or "monthly" or "spot", "billingMode must be onDemand, monthly or spot");
        var ports = OptionalString(body, "ports");
        if (ports is not null)
        {
            foreach (var port in ports.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var match = PortRegex().Match(port);
                Require(match.Success, $"port '{port}' must be <number>/tcp or <number>/http");
                var number = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                Require(number is >= 1 and <= 65535 and not (>= 2222 and <= 2224), $"port {number} is out of range or reserved");
            }
        }

        var envs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body["envs"] is { } envNode)
        {
            Require(envNode is JsonArray { Count: <= 100 }, "envs must be a list of at most 100");
            foreach (var env in envNode.AsArray())
            {
                var key = env?["key"] is JsonValue k && k.TryGetValue<string>(out var ks) ? ks : null;
                var value = env?["value"] is JsonValue v && v.TryGetValue<string>(out var vs) ? vs : null;
                Require(key is { Length: > 0 and <= 511 } && value is { Length: <= 4095 }, "each env needs a key (1-511) and a value (0-4095)");
                envs[key!] = value!;
            }
        }

        return new CreateBody(name, productId, gpuNum, Math.Max(rootfsSize, 10), imageUrl, billingMode, OptionalString(body, "clusterId"), ports, envs);
    }

    private static string RequiredString(JsonObject body, string field, int max)
    {
        var value = OptionalString(body, field);
        Require(value is { Length: > 0 } && value.Length <= max, $"{field} is required (1-{max} characters)");
        return value!;
    }

    private static string? OptionalString(JsonObject body, string field) => body[field] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw NovitaErrorException.Invalid($"{field} must be a string"),
    };

    private static int RequiredInt(JsonObject body, string field) => body[field] switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) => number,
        _ => throw NovitaErrorException.Invalid($"{field} is required and must be an integer"),
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw NovitaErrorException.Invalid(message);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9-]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^([0-9]{1,5})/(tcp|http)$")]
    private static partial Regex PortRegex();
}
