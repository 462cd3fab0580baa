using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Provisioner.Tests.Fakes.Arm;

public sealed partial class LocalArm
{
    /// <summary>
    /// Resources_List in the resource group, filtered by tag as ARM allows (<c>tagName eq 'k' [and tagValue eq 'v']</c>:
    /// names case-insensitive, values not), <c>$top</c> a page, <c>nextLink</c> to the next. As ARM documents, resources
    /// filtered by tag come back without their tags. Inline NICs, IPs and disks carry no tags here.
    /// </summary>
    private Answer ListByTag(HttpRequest request)
    {
        var filter = request.Query["$filter"].ToString();
        var match = TagFilterRegex().Match(filter);
        if (!match.Success)
        {
            throw new ArmErrorException("InvalidFilterInQueryString", $"The filter '{filter}' is invalid: this local ARM filters by tagName and tagValue only.");
        }

        var top = 1000;
        if (request.Query.TryGetValue("$top", out var topText) && (!int.TryParse(topText, NumberStyles.Integer, CultureInfo.InvariantCulture, out top) || top is < 1 or > 1000))
        {
            throw new ArmErrorException("InvalidTopInQueryString", $"The value '{topText}' of $top is invalid: 1 to 1000.");
        }

        var tagName = match.Groups["name"].Value.Replace("''", "'", StringComparison.Ordinal);
        var tagValue = match.Groups["value"].Success ? match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal) : null;
        var after = request.Query["$skiptoken"].ToString() is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        var matching = _vms.Values
            .Where(vm => vm.Tags.Any(t => t.Key.Equals(tagName, StringComparison.OrdinalIgnoreCase) && (tagValue is null || t.Value == tagValue)))
            .OrderBy(vm => vm.Name, StringComparer.Ordinal)
            .Where(vm => after is null || string.CompareOrdinal(vm.Name, after) > 0)
            .ToList();
        var page = matching.Take(top).ToList();
        var body = new JsonObject
        {
            ["value"] = new JsonArray([.. page.Select(vm => (JsonNode)new JsonObject
            {
                ["id"] = VmId(vm.Name), ["name"] = vm.Name, ["type"] = VmType, ["location"] = vm.Location,
            })]),
        };
        if (matching.Count > top)
        {
            var skip = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Name));
            body["nextLink"] = new Uri(Endpoint,
                $"subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/resources?$filter={Uri.EscapeDataString(filter)}&$top={top}&$skiptoken={Uri.EscapeDataString(skip)}&api-version={ResourcesVersions[0]}").ToString();
        }

        return new Answer(200, body);
    }

    private Answer GetNic(string name)
    {
        if (!_nics.TryGetValue(name, out var nic))
        {
            throw ArmErrorException.NotFound("Microsoft.Network/networkInterfaces", name, ResourceGroup);
        }

        var ip = new JsonObject { ["privateIPAddress"] = nic.PrivateIp, ["privateIPAllocationMethod"] = "Dynamic", ["primary"] = true };
        if (nic.PublicIpName is not null && _publicIps.ContainsKey(nic.PublicIpName))
        {
            ip["publicIPAddress"] = new JsonObject { ["id"] = NetworkId("publicIPAddresses", nic.PublicIpName) };
        }

        var properties = new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["primary"] = true,
            ["ipConfigurations"] = new JsonArray(new JsonObject { ["name"] = $"{name}-ipc", ["properties"] = ip }),
        };
        if (_vms.ContainsKey(nic.Vm))
        {
            properties["virtualMachine"] = new JsonObject { ["id"] = VmId(nic.Vm) };
        }

        return new Answer(200, new JsonObject
        {
            ["id"] = NetworkId("networkInterfaces", name), ["name"] = name, ["type"] = "Microsoft.Network/networkInterfaces",
            ["location"] = _vms.TryGetValue(nic.Vm, out var vm) ? vm.Location : "eastus", ["properties"] = properties,
        });
    }

    private Answer GetPublicIp(string name)
    {
        if (!_publicIps.TryGetValue(name, out var address))
        {
            throw ArmErrorException.NotFound("Microsoft.Network/publicIPAddresses", name, ResourceGroup);
        }

        return new Answer(200, new JsonObject
        {
            ["id"] = NetworkId("publicIPAddresses", name), ["name"] = name, ["type"] = "Microsoft.Network/publicIPAddresses",
            ["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" },
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded", ["publicIPAllocationMethod"] = "Static", ["ipAddress"] = address },
        });
    }

    /// <summary>An <c>Azure-AsyncOperation</c> poll: InProgress, then Succeeded, or Failed with the VM's error.</summary>
    private Answer OperationStatus(string id)
    {
        if (!_operations.TryGetValue(id, out var operation))
        {
            throw new ArmErrorException("NotFound", $"The operation '{id}' was not found.", 404);
        }

        var status = new JsonObject { ["name"] = id };
        if (!_vms.TryGetValue(operation.Vm, out var vm))
        {
            status["status"] = operation.Delete ? "Succeeded" : "Canceled";
        }
        else if (operation.Delete)
        {
            status["status"] = "InProgress";
        }
        else
        {
            var (state, _) = vm.StateAt(Clock.GetUtcNow(), BootTime, ChecksTime);
            status["status"] = state switch { "Succeeded" => "Succeeded", "Failed" => "Failed", _ => "InProgress" };
            if (state == "Failed" && vm.Failure is { } failure)
            {
                status["error"] = new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message };
            }
        }

        return new Answer(200, status, new Dictionary<string, string> { ["Retry-After"] = "1" });
    }

    [GeneratedRegex("^tagName eq '(?<name>(?:[^']|'')*)'(?: and tagValue eq '(?<value>(?:[^']|'')*)')?$")]
    private static partial Regex TagFilterRegex();
}
