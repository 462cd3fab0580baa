using System.Text.Json.Nodes;

namespace Provisioner.Tests.Fakes.Arm;

/// <summary>One VM in the local ARM, with the resources Compute made for it inline and how each is deleted.</summary>
public sealed class LocalArmVm
{
    public required string Name { get; init; }
    public required string Location { get; init; }
    public required string VmId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The last PUT body as sent, less <c>customData</c> (ARM never returns it).</summary>
    public required JsonObject Body { get; set; }

    /// <summary>The boot script as sent (base64), for tests; never shown back.</summary>
    public string? CustomData { get; set; }

    public required string NicName { get; init; }
    public required string NicDeleteOption { get; init; }
    public string? PublicIpName { get; init; }
    public string? PublicIpDeleteOption { get; init; }
    public required string OsDiskName { get; init; }
    public required string OsDiskDeleteOption { get; init; }
    public required string PrivateIp { get; init; }
    public string? PublicIp { get; init; }

    /// <summary>PUTs this VM received (the first one created it; the rest updated it in place).</summary>
    public int Puts { get; set; } = 1;

    public DateTimeOffset? DeleteRequestedAt { get; set; }

    /// <summary>Why Azure gave up on it, from <see cref="FailsAt"/> on.</summary>
    public (string Code, string Message)? Failure { get; set; }

    public DateTimeOffset? FailsAt { get; set; }

    /// <summary>Deallocated outside the provisioner (the portal) at this time: ARM stamps the power state with it.</summary>
    public DateTimeOffset? StoppedOutsideAt { get; set; }

    /// <summary>Its health probe fails from this time: the instance view's <c>vmHealth</c> is <c>HealthState/unhealthy</c>.</summary>
    public DateTimeOffset? UnhealthySince { get; set; }

    public string VmSize => Body["properties"]?["hardwareProfile"]?["vmSize"]?.GetValue<string>() ?? string.Empty;

    public IReadOnlyDictionary<string, string> Tags =>
        Body["tags"] is JsonObject tags ? tags.ToDictionary(t => t.Key, t => t.Value?.GetValue<string>() ?? string.Empty) : new Dictionary<string, string>();

    /// <summary>ARM's <c>provisioningState</c> and the instance view's statuses at <paramref name="now"/>.</summary>
    public (string ProvisioningState, IReadOnlyList<(string Code, string Level, string Display, string? Message)> Statuses) StateAt(
        DateTimeOffset now, TimeSpan bootTime, TimeSpan checksTime)
    {
        if (DeleteRequestedAt is null && StoppedOutsideAt is { } stopped)
        {
            return ("Succeeded", [("ProvisioningState/succeeded", "Info", "Provisioning succeeded", null),
                (now - stopped < checksTime ? "PowerState/deallocating" : "PowerState/deallocated", "Info", "VM deallocated", null)]);
        }

        if (DeleteRequestedAt is not null)
        {
            return ("Deleting", [("ProvisioningState/deleting", "Info", "Deleting", null), ("PowerState/stopping", "Info", "VM stopping", null)]);
        }

        if (Failure is { } failure && now >= (FailsAt ?? now))
        {
            return ("Failed", [($"ProvisioningState/failed/{failure.Code}", "Error", "Provisioning failed", failure.Message)]);
        }

        var age = now - CreatedAt;
        return age < bootTime
            ? ("Creating", [("ProvisioningState/creating", "Info", "Creating", null), ("PowerState/starting", "Info", "VM starting", null)])
            : age < bootTime + checksTime
                ? ("Creating", [("ProvisioningState/creating/OSProvisioningInprogress", "Info", "OS provisioning in progress", null), ("PowerState/running", "Info", "VM running", null)])
                : ("Succeeded", [("ProvisioningState/succeeded", "Info", "Provisioning succeeded", null), ("PowerState/running", "Info", "VM running", null)]);
    }
}
