using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// A VM read with its instance view as the port's <see cref="CloudMachine"/>. ARM keeps a create's
/// <c>provisioningState</c> at <c>Creating</c> until the OS is provisioned, while the instance view's power state is
/// already <c>running</c>: that is our initializing; <c>Succeeded</c> and running is ready.
/// </summary>
internal static class AzureMachines
{
    private const string PowerPrefix = "PowerState/";
    private const string FailedPrefix = "ProvisioningState/failed";

    public static CloudMachine ToMachine(VirtualMachineData vm, string? publicIp = null, string? privateIp = null)
    {
        var tags = new Dictionary<string, string>(vm.Tags, StringComparer.Ordinal);
        var failure = FailureOf(vm);
        var state = StateOf(vm.ProvisioningState, PowerStateOf(vm), failure is not null);
        return new CloudMachine(
            vm.Name,
            state,
            vm.HardwareProfile?.VmSize?.ToString() ?? string.Empty,
            vm.Location.Name,
            state is CloudMachineState.Initializing or CloudMachineState.Running ? publicIp : null,
            state is CloudMachineState.Initializing or CloudMachineState.Running ? privateIp : null,
            vm.TimeCreated ?? default,
            OwnershipTags.ReadInstanceId(tags),
            failure,
            Metadata: MachineMetadata.Of(
                ("resourceGroup", vm.Id?.ResourceGroupName),
                ("location", vm.Location.Name),
                ("vmSize", vm.HardwareProfile?.VmSize?.ToString()),
                ("zone", vm.Zones.FirstOrDefault()),
                ("image", ImageOf(vm.StorageProfile?.ImageReference)),
                ("priority", vm.Priority?.ToString())),
            StoppedAt: state == CloudMachineState.ShuttingDown ? StoppedAtOf(vm) : null,
            Health: state == CloudMachineState.Running ? (Unhealthy(vm) is null ? CloudMachineHealth.Ok : CloudMachineHealth.Impaired) : CloudMachineHealth.Unknown,
            HealthDetail: state == CloudMachineState.Running && Unhealthy(vm) is { } unhealthy ? $"{unhealthy.Code}: {unhealthy.DisplayStatus}" : null,
            ImpairedSince: state == CloudMachineState.Running ? Unhealthy(vm)?.Time : null);
    }

    /// <summary>The instance view's VM health (the application health probe) when it says unhealthy; null otherwise.</summary>
    private static InstanceViewStatus? Unhealthy(VirtualMachineData vm) =>
        vm.InstanceView?.VmHealthStatus is { Code: { } code } health && code.Equals("HealthState/unhealthy", StringComparison.OrdinalIgnoreCase) ? health : null;

    /// <summary>When a VM stopped or deallocated outside us stopped: the time ARM stamps on its power state, when it says.</summary>
    private static DateTimeOffset? StoppedAtOf(VirtualMachineData vm) =>
        PowerStateOf(vm) is "stopping" or "stopped" or "deallocating" or "deallocated"
            ? Statuses(vm).FirstOrDefault(s => s.Code?.StartsWith(PowerPrefix, StringComparison.OrdinalIgnoreCase) == true)?.Time
            : null;

    /// <summary>A marketplace image as its URN, or the image resource's id.</summary>
    private static string? ImageOf(ImageReference? image) => image switch
    {
        null => null,
        { Publisher: { Length: > 0 } publisher } => $"{publisher}:{image.Offer}:{image.Sku}:{image.Version}",
        _ => image.Id?.ToString(),
    };

    /// <summary>Whether the machine is far enough along to have addresses worth reading.</summary>
    public static bool HasAddresses(CloudMachine machine) => machine.State is CloudMachineState.Initializing or CloudMachineState.Running;

    internal static CloudMachineState StateOf(string? provisioningState, string? powerState, bool failed) => (provisioningState, powerState) switch
    {
        _ when failed => CloudMachineState.Failed,
        ("Deleting", _) => CloudMachineState.ShuttingDown,
        // Stopped or deallocated by anyone but us: it will not run again by our hand, and deallocated is the end of a spot eviction.
        (_, "stopping" or "stopped" or "deallocating" or "deallocated") => CloudMachineState.ShuttingDown,
        ("Creating", "running") => CloudMachineState.Initializing,
        ("Creating", _) => CloudMachineState.Pending,
        (_, "running") => CloudMachineState.Running,
        (_, "starting") => CloudMachineState.Initializing,
        _ => CloudMachineState.Pending,
    };

    private static string? PowerStateOf(VirtualMachineData vm) =>
        Statuses(vm).Select(s => s.Code).FirstOrDefault(c => c?.StartsWith(PowerPrefix, StringComparison.OrdinalIgnoreCase) == true)?[PowerPrefix.Length..]
            .ToLowerInvariant();

    /// <summary>
    /// A failed provisioning, in Azure's words: the instance view's <c>ProvisioningState/failed/{code}</c> and its
    /// message, or, without an instance view, the bare <c>provisioningState: Failed</c>.
    /// </summary>
    private static CloudMachineFailure? FailureOf(VirtualMachineData vm)
    {
        var failed = Statuses(vm).FirstOrDefault(s => s.Code?.StartsWith(FailedPrefix, StringComparison.OrdinalIgnoreCase) == true);
        if (failed is not null)
        {
            var code = failed.Code!.Length > FailedPrefix.Length + 1 ? failed.Code[(FailedPrefix.Length + 1)..] : "ProvisioningFailed";
            return AzureErrorClassifier.ClassifyProvisioningFailure(code, failed.Message ?? failed.DisplayStatus);
        }

        return string.Equals(vm.ProvisioningState, "Failed", StringComparison.OrdinalIgnoreCase)
            ? AzureErrorClassifier.ClassifyProvisioningFailure("ProvisioningFailed", "Azure reports the machine's provisioning failed.")
            : null;
    }

    private static IEnumerable<InstanceViewStatus> Statuses(VirtualMachineData vm) => vm.InstanceView?.Statuses ?? [];
}
