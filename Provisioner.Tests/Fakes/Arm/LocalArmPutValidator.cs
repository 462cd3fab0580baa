using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Provisioner.Tests.Fakes.Arm;

/// <summary>
/// Checks a VM PUT body as ARM and Compute do, for every field the adapter sends (and refuses fields it does not
/// know, so nothing is sent unnoticed). Error codes and wording follow ARM's: <c>InvalidParameter</c> with a target,
/// <c>InvalidRequestContent</c>, <c>LocationRequired</c>, <c>InvalidTagNameCharacters</c>, <c>InvalidResourceReference</c>.
/// </summary>
internal static partial class LocalArmPutValidator
{
    public static readonly HashSet<string> KnownSizes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Standard_NC6", "Standard_NC12", "Standard_NC24", "Standard_NV6", "Standard_NV12",
        "Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3", "Standard_NC16as_T4_v3", "Standard_NC64as_T4_v3",
        "Standard_NC24ads_A100_v4", "Standard_NC48ads_A100_v4", "Standard_NC96ads_A100_v4", "Standard_ND96isr_H100_v5",
    };

    public static readonly HashSet<string> KnownLocations = new(StringComparer.OrdinalIgnoreCase)
    {
        "eastus", "eastus2", "southcentralus", "westus2", "westus3", "northeurope", "westeurope", "uksouth", "japaneast",
    };

    private static readonly HashSet<string> ReservedUsers = new(StringComparer.OrdinalIgnoreCase)
    {
        "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2",
        "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys",
        "test2", "test3", "user4", "user5",
    };

    private static readonly HashSet<string> StorageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Standard_LRS", "Premium_LRS", "StandardSSD_LRS", "UltraSSD_LRS", "Premium_ZRS", "StandardSSD_ZRS", "PremiumV2_LRS",
    };

    private static readonly HashSet<string> KnownProperties = new(StringComparer.Ordinal)
    {
        "hardwareProfile", "storageProfile", "osProfile", "networkProfile", "priority", "evictionPolicy", "billingProfile",
    };

    /// <summary>Validates the body; returns the subnet ids its NICs name, for the caller to resolve.</summary>
    public static void Validate(string name, JsonObject body, Func<string, string?> subnetRegion)
    {
        if (!VmNameRegex().IsMatch(name))
        {
            throw new ArmErrorException("InvalidResourceName", $"Resource name {name} is invalid. The name can be up to 64 characters long. It can contain only alphanumeric characters, underscores, periods, and hyphens. It must start with an alphanumeric character and cannot end with a period or hyphen.");
        }

        var location = String(body, "location") ?? throw new ArmErrorException("LocationRequired", "The location property is required for this definition.");
        if (!KnownLocations.Contains(location))
        {
            throw new ArmErrorException("LocationNotAvailableForResourceType", $"The provided location '{location}' is not available for resource type 'Microsoft.Compute/virtualMachines'.");
        }

        ValidateTags(body["tags"]);
        var properties = body["properties"] as JsonObject ?? throw new ArmErrorException("InvalidRequestContent", "The request content was invalid and could not be deserialized: 'Required property 'properties' not found in JSON.'");
        foreach (var unknown in properties.Select(p => p.Key).Where(k => !KnownProperties.Contains(k)))
        {
            throw new ArmErrorException("InvalidRequestContent", $"The request content was invalid and could not be deserialized: 'Could not find member '{unknown}' on object of type 'VirtualMachineProperties'.'");
        }

        var size = String(properties["hardwareProfile"], "vmSize");
        if (size is null || !KnownSizes.Contains(size))
        {
            throw ArmErrorException.InvalidParameter("vmSize", $"The value {size} provided for the VM size is not valid. The valid values are listed at https://aka.ms/azure-vm-sizes.");
        }

        ValidateStorage(properties["storageProfile"] as JsonObject);
        ValidateOs(properties["osProfile"] as JsonObject);
        ValidateNetwork(name, location, properties["networkProfile"] as JsonObject, subnetRegion);
        ValidateMarket(properties);
    }

    private static void ValidateTags(JsonNode? node)
    {
        if (node is null)
        {
            return;
        }

        var tags = node as JsonObject ?? throw new ArmErrorException("InvalidRequestContent", "The request content was invalid and could not be deserialized: 'tags' must be an object.");
        if (tags.Count > 50)
        {
            throw new ArmErrorException("InvalidTagCount", "The number of tags exceeds the limit of 50.");
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 512 || key.IndexOfAny(['<', '>', '%', '&', '\\', '?', '/']) >= 0)
            {
                throw new ArmErrorException("InvalidTagNameCharacters", $"The tag names '{key}' have reserved characters '<,>,%,&,\\,?,/' or control characters.");
            }

            if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length > 256)
            {
                throw new ArmErrorException("InvalidTagValueLength", $"The tag value of '{key}' is not a string of at most 256 characters.");
            }
        }
    }

    private static void ValidateStorage(JsonObject? storage)
    {
        var image = storage?["imageReference"] as JsonObject ?? throw ArmErrorException.InvalidParameter("imageReference", "Required parameter 'imageReference' is missing (null).");
        var urn = new[] { "publisher", "offer", "sku", "version" }.Select(p => String(image, p)).ToList();
        if (String(image, "id") is null && urn.Any(string.IsNullOrEmpty))
        {
            throw ArmErrorException.InvalidParameter("imageReference", "The value of parameter imageReference is invalid: give an id, or publisher, offer, sku and version.");
        }

        var disk = storage!["osDisk"] as JsonObject ?? throw ArmErrorException.InvalidParameter("osDisk", "Required parameter 'osDisk' is missing (null).");
        if (!string.Equals(String(disk, "createOption"), "FromImage", StringComparison.OrdinalIgnoreCase))
        {
            throw ArmErrorException.InvalidParameter("osDisk.createOption", "The value of parameter osDisk.createOption is invalid: a VM from an image needs FromImage.");
        }

        if (disk["diskSizeGB"] is { } sizeNode && (sizeNode.GetValueKind() != System.Text.Json.JsonValueKind.Number || sizeNode.GetValue<int>() is < 30 or > 4095))
        {
            throw ArmErrorException.InvalidParameter("osDisk.diskSizeGB", $"The specified disk size {sizeNode} GB is smaller than the size of the corresponding disk in the VM image: 30 GB, or larger than the 4095 GB an OS disk can have.");
        }

        DeleteOption(disk, "osDisk.deleteOption");
        if (String(disk["managedDisk"], "storageAccountType") is { } type && !StorageTypes.Contains(type))
        {
            throw ArmErrorException.InvalidParameter("osDisk.managedDisk.storageAccountType", $"The value {type} of parameter storageAccountType is invalid.");
        }
    }

    private static void ValidateOs(JsonObject? os)
    {
        var computerName = String(os, "computerName");
        if (computerName is null || computerName.Length > 64 || !ComputerNameRegex().IsMatch(computerName))
        {
            throw ArmErrorException.InvalidParameter("computerName", $"Linux host name '{computerName}' cannot exceed 64 characters in length or contain the following characters: ` ~ ! @ # $ % ^ & * ( ) = + _ [ ] {{ }} \\ | ; : ' \" , < > / ?.");
        }

        var user = String(os, "adminUsername");
        if (string.IsNullOrEmpty(user) || user.Length > 64 || ReservedUsers.Contains(user))
        {
            throw ArmErrorException.InvalidParameter("adminUsername", "The Admin Username specified is not allowed.");
        }

        if (String(os, "customData") is { } customData && (customData.Length > 87_380 || !Convert.TryFromBase64String(customData, new byte[customData.Length], out _)))
        {
            throw ArmErrorException.InvalidParameter("customData", "Custom data in OSProfile must be in Base64 encoding and with a maximum length of 87380 characters.");
        }

        var linux = os!["linuxConfiguration"] as JsonObject;
        if (linux?["disablePasswordAuthentication"]?.GetValue<bool>() != true || String(os, "adminPassword") is not null)
        {
            throw ArmErrorException.InvalidParameter("adminPassword", "This local ARM takes SSH keys only: disablePasswordAuthentication must be true and no adminPassword given.");
        }

        var keys = linux["ssh"]?["publicKeys"] as JsonArray;
        if (keys is null || keys.Count == 0)
        {
            throw ArmErrorException.InvalidParameter("linuxConfiguration.ssh.publicKeys", "Authentication using either SSH or by user name and password must be enabled in Linux profile.");
        }

        foreach (var key in keys)
        {
            if (String(key, "path") != $"/home/{user}/.ssh/authorized_keys")
            {
                throw ArmErrorException.InvalidParameter("linuxConfiguration.ssh.publicKeys.path", $"Destination path for SSH public keys is currently limited to its default value /home/{user}/.ssh/authorized_keys due to a known issue in Linux provisioning agent.");
            }

            if (String(key, "keyData") is not { } data || !SshKeyRegex().IsMatch(data))
            {
                throw ArmErrorException.InvalidParameter("linuxConfiguration.ssh.publicKeys.keyData", "The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.");
            }
        }
    }

    private static void ValidateNetwork(string vmName, string location, JsonObject? network, Func<string, string?> subnetRegion)
    {
        var nics = network?["networkInterfaceConfigurations"] as JsonArray;
        if (nics is null || nics.Count == 0)
        {
            throw ArmErrorException.InvalidParameter("networkProfile", "This local ARM creates NICs inline only: networkInterfaceConfigurations is required.");
        }

        if (String(network, "networkApiVersion") is not ("2020-11-01" or "2022-11-01"))
        {
            throw ArmErrorException.InvalidParameter("networkProfile.networkApiVersion", "networkApiVersion must be specified (2020-11-01 or 2022-11-01) when networkInterfaceConfigurations are given.");
        }

        if (nics.Count > 1 && nics.Count(n => n?["properties"]?["primary"]?.GetValue<bool>() == true) != 1)
        {
            throw ArmErrorException.InvalidParameter("networkInterfaceConfigurations", $"Virtual machine {vmName} must have one network interface set as the primary.");
        }

        foreach (var nic in nics)
        {
            if (String(nic, "name") is null || nic!["properties"] is not JsonObject nicProperties)
            {
                throw ArmErrorException.InvalidParameter("networkInterfaceConfigurations.name", "A network interface configuration needs a name and properties.");
            }

            DeleteOption(nicProperties, "networkInterfaceConfigurations.deleteOption");
            var ipConfigurations = nicProperties["ipConfigurations"] as JsonArray;
            if (ipConfigurations is null || ipConfigurations.Count == 0)
            {
                throw ArmErrorException.InvalidParameter("ipConfigurations", "A network interface configuration needs at least one IP configuration.");
            }

            foreach (var ip in ipConfigurations)
            {
                var subnet = String(ip?["properties"]?["subnet"], "id");
                if (String(ip, "name") is null || subnet is null)
                {
                    throw ArmErrorException.InvalidParameter("ipConfigurations.subnet", "An IP configuration needs a name and a subnet.");
                }

                var region = subnetRegion(subnet) ?? throw new ArmErrorException("InvalidResourceReference", $"Resource {subnet} referenced by resource {vmName} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", 404);
                if (!string.Equals(region, location, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArmErrorException("InvalidResourceReference", $"Resource {subnet} referenced by resource {vmName} is in {region}, not {location}: both resources must be in the same region.");
                }

                if (ip!["properties"]!["publicIPAddressConfiguration"] is JsonObject publicIp)
                {
                    ValidatePublicIp(publicIp);
                }
            }
        }
    }

    private static void ValidatePublicIp(JsonObject publicIp)
    {
        if (String(publicIp, "name") is null)
        {
            throw ArmErrorException.InvalidParameter("publicIPAddressConfiguration.name", "A public IP address configuration needs a name.");
        }

        var sku = String(publicIp["sku"], "name") ?? "Basic";
        var allocation = String(publicIp["properties"], "publicIPAllocationMethod") ?? "Dynamic";
        if (sku is not ("Basic" or "Standard") || (sku == "Standard" && allocation != "Static"))
        {
            throw ArmErrorException.InvalidParameter("publicIPAddressConfiguration", $"A {sku} SKU public IP address must be Static, not {allocation}.");
        }

        if (publicIp["properties"] is JsonObject properties)
        {
            DeleteOption(properties, "publicIPAddressConfiguration.deleteOption");
        }
    }

    private static void ValidateMarket(JsonObject properties)
    {
        var priority = String(properties, "priority") ?? "Regular";
        if (priority is not ("Regular" or "Low" or "Spot"))
        {
            throw ArmErrorException.InvalidParameter("priority", $"The value {priority} of parameter priority is invalid.");
        }

        var interruptible = priority is "Low" or "Spot";
        if (String(properties, "evictionPolicy") is { } eviction && (!interruptible || eviction is not ("Deallocate" or "Delete")))
        {
            throw ArmErrorException.InvalidParameter("evictionPolicy", "Eviction policy can be set only on Spot or Low priority virtual machines, to Deallocate or Delete.");
        }

        if (properties["billingProfile"]?["maxPrice"] is { } maxPrice)
        {
            var price = maxPrice.GetValue<double>();
            if (!interruptible || (price != -1 && price <= 0))
            {
                throw ArmErrorException.InvalidParameter("billingProfile.maxPrice", "Max price can be set only on Spot virtual machines, to -1 or a price above zero.");
            }
        }
    }

    private static void DeleteOption(JsonObject node, string target)
    {
        if (String(node, "deleteOption") is { } option && option is not ("Delete" or "Detach"))
        {
            throw ArmErrorException.InvalidParameter(target, $"The value {option} of parameter deleteOption is invalid: Delete or Detach.");
        }
    }

    internal static string? String(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]$")]
    private static partial Regex VmNameRegex();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$")]
    private static partial Regex ComputerNameRegex();

    [GeneratedRegex("^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$")]
    private static partial Regex SshKeyRegex();
}
