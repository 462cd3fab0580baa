using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Provisioner.Tests.Fakes.Arm;

public sealed partial class LocalArm
{
    private static readonly string[] SkusVersions = ["2021-07-01"];

    private readonly HashSet<string> _skus = new(LocalArmPutValidator.KnownSizes, StringComparer.Ordinal);
    private readonly HashSet<string> _restricted = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>ARM lists this VM size as a SKU in every location it serves (so a catalog check sees a size the catalog lacks).</summary>
    public void AddSku(string name)
    {
        lock (_gate)
        {
            _skus.Add(name);
        }
    }

    /// <summary>The size is listed in <paramref name="location"/> with a location restriction (<c>NotAvailableForSubscription</c>).</summary>
    public void Restrict(string name, string location)
    {
        lock (_gate)
        {
            _restricted.Add($"{name}@{location}");
        }
    }

    /// <summary>
    /// Resource SKUs (Microsoft.Compute/skus, api-version 2021-07-01): virtual machine sizes and, as ARM also lists, disk
    /// SKUs, each with its family. The only filter ARM supports is <c>location eq '…'</c>; anything else is refused.
    /// </summary>
    private Answer ListResourceSkus(HttpRequest request)
    {
        var filter = request.Query["$filter"].ToString();
        IEnumerable<string> locations = LocalArmPutValidator.KnownLocations;
        if (filter.Length > 0)
        {
            var match = LocationFilterRegex().Match(filter);
            if (!match.Success)
            {
                throw new ArmErrorException("InvalidFilterInQueryString", $"The filter '{filter}' is invalid: only a location filter is supported.");
            }

            locations = LocalArmPutValidator.KnownLocations.Contains(match.Groups["location"].Value) ? [match.Groups["location"].Value.ToLowerInvariant()] : [];
        }

        var value = new JsonArray();
        foreach (var location in locations.Order(StringComparer.Ordinal))
        {
            value.Add(new JsonObject
            {
                ["resourceType"] = "disks", ["name"] = "Premium_LRS", ["tier"] = "Premium", ["kind"] = "", ["locations"] = new JsonArray(location),
            });
            foreach (var name in _skus.Order(StringComparer.Ordinal))
            {
                var restrictions = new JsonArray();
                if (_restricted.Contains($"{name}@{location}"))
                {
                    restrictions.Add(new JsonObject
                    {
                        ["type"] = "Location", ["values"] = new JsonArray(location),
                        ["restrictionInfo"] = new JsonObject { ["locations"] = new JsonArray(location) },
                        ["reasonCode"] = "NotAvailableForSubscription",
                    });
                }

                value.Add(new JsonObject
                {
                    ["resourceType"] = "virtualMachines", ["name"] = name, ["tier"] = "Standard", ["size"] = name.Replace("Standard_", "", StringComparison.Ordinal),
                    ["family"] = FamilyOf(name), ["locations"] = new JsonArray(location),
                    ["locationInfo"] = new JsonArray(new JsonObject { ["location"] = location, ["zones"] = new JsonArray("1", "2", "3") }),
                    ["restrictions"] = restrictions,
                });
            }
        }

        return new Answer(200, new JsonObject { ["value"] = value });
    }

    /// <summary>ARM's family names read like <c>standardNCASv3_T4Family</c>: the size's letters and version, without its vCPU count.</summary>
    private static string FamilyOf(string name) =>
        "standard" + SizeDigitsRegex().Replace(name.Replace("Standard_", "", StringComparison.Ordinal), "").Replace("_", "", StringComparison.Ordinal) + "Family";

    [GeneratedRegex(@"^location eq '(?<location>[a-z0-9]+)'$", RegexOptions.IgnoreCase)]
    private static partial Regex LocationFilterRegex();

    [GeneratedRegex(@"(?<=^[A-Z]+)[0-9]+", RegexOptions.IgnoreCase)]
    private static partial Regex SizeDigitsRegex();
}
