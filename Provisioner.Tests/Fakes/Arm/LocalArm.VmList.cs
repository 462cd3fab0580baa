using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Provisioner.Tests.Fakes.Arm;

public sealed partial class LocalArm
{
    /// <summary>The subscription's VM list (VirtualMachines_ListAll), counted and failable like the other operations.</summary>
    public const string ListVirtualMachines = "GET virtualMachines (subscription)";

    private static readonly HashSet<string> VmListParameters = new(StringComparer.Ordinal) { "api-version", "statusOnly", "$filter", "$expand", "$skiptoken" };

    /// <summary>VMs a page of the subscription's VM list holds; ARM does not document its own, so it is small here and paging is exercised.</summary>
    public int VmListPageSize { get; set; } = 2;

    /// <summary>
    /// VirtualMachines_ListAll, as ARM answers it: every VM of the subscription, <c>statusOnly=true</c> with each one's instance
    /// view, <c>nextLink</c> to the next page. Strict where ARM is: an unknown query parameter is refused, <c>statusOnly</c> is
    /// <c>true</c> or <c>false</c>, and <c>$expand=instanceView</c> is taken only with a scale-set <c>$filter</c> (which no VM here has).
    /// </summary>
    private Answer ListAllVms(HttpRequest request)
    {
        if (request.Query.Keys.FirstOrDefault(k => !VmListParameters.Contains(k)) is { } unknown)
        {
            throw new ArmErrorException("InvalidQueryParameter", $"The query parameter '{unknown}' is not supported by VirtualMachines_ListAll.");
        }

        var statusOnly = request.Query["statusOnly"].ToString();
        if (statusOnly.Length > 0 && statusOnly is not ("true" or "false"))
        {
            throw new ArmErrorException("InvalidParameter", $"The value '{statusOnly}' of statusOnly is invalid: true or false.");
        }

        if (request.Query.ContainsKey("$expand") && !request.Query.ContainsKey("$filter"))
        {
            throw new ArmErrorException("InvalidParameter", "$expand=instanceView can only be specified with a valid $filter option.");
        }

        var after = request.Query["$skiptoken"].ToString() is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        var matching = _vms.Values.OrderBy(vm => vm.Name, StringComparer.Ordinal)
            .Where(vm => after is null || string.CompareOrdinal(vm.Name, after) > 0).ToList();
        var page = matching.Take(VmListPageSize).ToList();
        var body = new JsonObject { ["value"] = new JsonArray([.. page.Select(vm => (JsonNode)Render(vm, expandInstanceView: statusOnly == "true"))]) };
        if (matching.Count > page.Count)
        {
            var skip = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Name));
            body["nextLink"] = new Uri(Endpoint,
                $"subscriptions/{SubscriptionId}/providers/Microsoft.Compute/virtualMachines?api-version={ComputeVersions[0]}&statusOnly={statusOnly}&$skiptoken={Uri.EscapeDataString(skip)}").ToString();
        }

        return new Answer(200, body);
    }

    [GeneratedRegex("^" + Sub + "/providers/Microsoft\\.Compute/virtualMachines$", RegexOptions.IgnoreCase)]
    private static partial Regex SubscriptionVmsRegex();
}
