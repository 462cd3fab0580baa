using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// A VM's private and public IP. Neither is on the VM or its instance view: the VM names its NIC
/// (<c>networkProfile.networkInterfaces</c>), the NIC holds the private IP and names its public IP, which holds the
/// address. Without Azure.ResourceManager.Network both are read as generic resources, at the Network API version the
/// VM made them with. Two reads, made only once a machine runs.
/// </summary>
internal static class AzureAddresses
{
    public static async Task<(string? Public, string? Private)> ReadAsync(ArmClient arm, VirtualMachineData vm, CancellationToken cancellationToken)
    {
        var nics = vm.NetworkProfile?.NetworkInterfaces ?? [];
        var nicId = (nics.FirstOrDefault(n => n.Primary == true) ?? nics.FirstOrDefault())?.Id;
        if (nicId is null || await PropertiesAsync(arm, nicId, cancellationToken) is not { } nic)
        {
            return (null, null);
        }

        var ipConfiguration = PrimaryIpConfiguration(nic);
        var privateIp = String(ipConfiguration, "privateIPAddress");
        var publicIpId = ipConfiguration is { } c && c.TryGetProperty("publicIPAddress", out var reference) ? String(reference, "id") : null;
        if (publicIpId is null || await PropertiesAsync(arm, new ResourceIdentifier(publicIpId), cancellationToken) is not { } publicIp)
        {
            return (null, privateIp);
        }

        return (String(publicIp, "ipAddress"), privateIp);
    }

    /// <summary>A resource's <c>properties</c>, or null when it is gone (an address is worth a look, never a failure).</summary>
    private static async Task<JsonElement?> PropertiesAsync(ArmClient arm, ResourceIdentifier id, CancellationToken cancellationToken)
    {
        try
        {
            var resource = await arm.GetGenericResource(id).GetAsync(cancellationToken);
            if (resource.Value.Data.Properties is not { } properties)
            {
                return null;
            }

            using var document = JsonDocument.Parse(properties.ToMemory());
            return document.RootElement.Clone();
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
    }

    private static JsonElement? PrimaryIpConfiguration(JsonElement nic)
    {
        if (!nic.TryGetProperty("ipConfigurations", out var configurations) || configurations.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var all = configurations.EnumerateArray()
            .Select(c => c.TryGetProperty("properties", out var p) ? p : default)
            .Where(p => p.ValueKind == JsonValueKind.Object)
            .ToList();
        return all.FirstOrDefault(p => p.TryGetProperty("primary", out var primary) && primary.ValueKind == JsonValueKind.True) is { ValueKind: JsonValueKind.Object } first
            ? first
            : all.Count > 0 ? all[0] : null;
    }

    private static string? String(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
