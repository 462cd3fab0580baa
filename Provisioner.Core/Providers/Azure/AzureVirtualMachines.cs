using System.Text;
using Azure.Core;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// The VM a launch asks for, and whether a VM found under the launch's name is that VM. The VM makes its own NIC
/// (and public IP) inline, and its NIC, public IP and OS disk are deleted with it.
/// </summary>
internal static class AzureVirtualMachines
{
    /// <summary>The VM's name: the launch's idempotency token, unique in the resource group, so a retried create finds it.</summary>
    public static string NameOf(LaunchSpec spec) => spec.IdempotencyToken;

    public static VirtualMachineData Build(LaunchSpec spec, AzureOptions settings, string clusterName)
    {
        var name = NameOf(spec);
        var subnet = settings.Subnets.GetValueOrDefault(spec.Region)
            ?? throw Invalid("NoSubnetConfigured", $"No subnet is configured for {spec.Region}: set Providers:Azure:Subnets:{spec.Region}.");
        var image = settings.ImageFor(spec.Region, spec.InstanceType)
            ?? throw Invalid("NoImageConfigured", $"No image is configured for {spec.InstanceType} in {spec.Region}: set Providers:Azure:Images or DefaultImage.");
        var key = string.IsNullOrWhiteSpace(settings.SshPublicKey)
            ? throw Invalid("NoSshKeyConfigured", "No SSH public key is configured: set Providers:Azure:SshPublicKey.")
            : settings.SshPublicKey.Trim();

        var vm = new VirtualMachineData(new AzureLocation(spec.Region))
        {
            HardwareProfile = new VirtualMachineHardwareProfile { VmSize = new VirtualMachineSizeType(spec.InstanceType) },
            StorageProfile = new VirtualMachineStorageProfile
            {
                ImageReference = AzureImages.Parse(image),
                OSDisk = new VirtualMachineOSDisk(DiskCreateOptionType.FromImage)
                {
                    Name = $"{name}-osdisk",
                    Caching = CachingType.ReadWrite,
                    DiskSizeGB = spec.DiskSizeGB,
                    ManagedDisk = new VirtualMachineManagedDisk { StorageAccountType = new StorageAccountType(settings.OsDiskType) },
                    DeleteOption = DiskDeleteOptionType.Delete,
                },
            },
            OSProfile = new VirtualMachineOSProfile
            {
                ComputerName = name,
                AdminUsername = settings.AdminUsername,
                LinuxConfiguration = new LinuxConfiguration
                {
                    DisablePasswordAuthentication = true,
                    SshPublicKeys = { new SshPublicKeyConfiguration { Path = $"/home/{settings.AdminUsername}/.ssh/authorized_keys", KeyData = key } },
                },
            },
            NetworkProfile = new VirtualMachineNetworkProfile { NetworkApiVersion = NetworkApiVersion.TwoThousandTwenty1101 },
        };
        if (!string.IsNullOrEmpty(spec.UserData))
        {
            // cloud-init runs customData at first boot; ARM never returns it, so it stays out of the comparison below.
            vm.OSProfile.CustomData = Convert.ToBase64String(Encoding.UTF8.GetBytes(spec.UserData));
        }

        vm.NetworkProfile.NetworkInterfaceConfigurations.Add(Nic(name, subnet, settings));
        foreach (var (tag, value) in OwnershipTags.Merge(spec, clusterName))
        {
            vm.Tags[tag] = value;
        }

        if (spec.SpotMaxPrice is { } maxPrice)
        {
            // Evicted means deleted, with its NIC, IP and disk: never parked deallocated and still billed for storage.
            vm.Priority = VirtualMachinePriorityType.Spot;
            vm.EvictionPolicy = VirtualMachineEvictionPolicyType.Delete;
            vm.BillingMaxPrice = (double)Money.Normalize(maxPrice);
        }

        return vm;
    }

    /// <summary>
    /// Whether <paramref name="found"/> is the VM <paramref name="wanted"/> describes, in what the launch decides:
    /// place, size, disk, market and tags. A PUT of another spec would silently resize or retag the machine.
    /// </summary>
    public static bool Matches(VirtualMachineData found, VirtualMachineData wanted) =>
        string.Equals(found.Location.Name, wanted.Location.Name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(found.HardwareProfile?.VmSize?.ToString(), wanted.HardwareProfile.VmSize?.ToString(), StringComparison.OrdinalIgnoreCase)
        && found.StorageProfile?.OSDisk?.DiskSizeGB == wanted.StorageProfile.OSDisk.DiskSizeGB
        && IsSpot(found) == IsSpot(wanted)
        && (!IsSpot(wanted) || found.BillingMaxPrice == wanted.BillingMaxPrice)
        && SameTags(found.Tags, wanted.Tags);

    private static VirtualMachineNetworkInterfaceConfiguration Nic(string name, string subnet, AzureOptions settings)
    {
        var ip = new VirtualMachineNetworkInterfaceIPConfiguration($"{name}-ipc") { Primary = true, SubnetId = new ResourceIdentifier(subnet) };
        if (settings.PublicIp)
        {
            ip.PublicIPAddressConfiguration = new VirtualMachinePublicIPAddressConfiguration($"{name}-pip")
            {
                Sku = new ComputePublicIPAddressSku { Name = ComputePublicIPAddressSkuName.Standard, Tier = ComputePublicIPAddressSkuTier.Regional },
                PublicIPAllocationMethod = PublicIPAllocationMethod.Static,
                DeleteOption = ComputeDeleteOption.Delete,
            };
        }

        var nic = new VirtualMachineNetworkInterfaceConfiguration($"{name}-nic")
        {
            Primary = true,
            DeleteOption = ComputeDeleteOption.Delete,
            EnableAcceleratedNetworking = settings.AcceleratedNetworking,
        };
        if (settings.NetworkSecurityGroupId is { Length: > 0 } nsg)
        {
            nic.NetworkSecurityGroupId = new ResourceIdentifier(nsg);
        }

        nic.IPConfigurations.Add(ip);
        return nic;
    }

    private static bool IsSpot(VirtualMachineData vm) => vm.Priority == VirtualMachinePriorityType.Spot;

    // Tag names are case-insensitive on ARM, values are not.
    private static bool SameTags(IDictionary<string, string> found, IDictionary<string, string> wanted) =>
        found.Count == wanted.Count
        && wanted.All(w => found.Any(f => string.Equals(f.Key, w.Key, StringComparison.OrdinalIgnoreCase) && string.Equals(f.Value, w.Value, StringComparison.Ordinal)));

    private static CloudProviderException Invalid(string code, string message) =>
        new(CloudErrorKind.InvalidRequest, AzureErrorClassifier.Backend, code, message);
}
