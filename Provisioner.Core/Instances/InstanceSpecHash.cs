using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Provisioner.Core.Instances;

/// <summary>A fingerprint of a request, for telling a repeat from a different request under the same key.</summary>
public static class InstanceSpecHash
{
    public static string Of(InstanceSpec spec)
    {
        if (spec.Needs is { } needs)
        {
            // The placer fills the machine in, differently as capacity comes and goes: a repeat is the same needs.
            spec = spec with { Provider = default, InstanceType = "", Region = "", GpuCount = 1, SpotMaxPrice = null, Placement = null };
        }

        // Tags sorted, so the same request hashes the same whatever order its JSON listed them in.
        var canonical = JsonSerializer.Serialize(new
        {
            spec.UserId, spec.TaskId, spec.Purpose, Provider = spec.Provider.ToString(), spec.InstanceType, spec.Region,
            spec.DiskSizeGB, spec.AutoTerminateMinutes, spec.IdleTerminateMinutes, spec.SpotMaxPrice, spec.UserData,
            Tags = new SortedDictionary<string, string>(spec.Tags.ToDictionary(), StringComparer.Ordinal),
        });
        if (spec.CapacityWaitMinutes > 0)
        {
            // Appended only when present, so keys stored before waiting existed still match their requests.
            canonical += JsonSerializer.Serialize(new { spec.CapacityWaitMinutes });
        }

        if (spec.WebhookUrl is not null || spec.WebhookEvents is not null)
        {
            // Appended only when present, so keys stored before webhooks existed still match their requests.
            canonical += JsonSerializer.Serialize(new { spec.WebhookUrl, spec.WebhookEvents });
        }

        if (spec.GpuCount != 1 || spec.Template is not null)
        {
            // Appended only when present, for the same reason.
            canonical += JsonSerializer.Serialize(new { spec.GpuCount, spec.Template });
        }

        if (spec.OnInterruption != InterruptionPolicy.Fail)
        {
            // Appended only when asked for, for the same reason (the bound is the server's setting, not the request's).
            canonical += JsonSerializer.Serialize(new { OnInterruption = spec.OnInterruption.ToString() });
        }

        if (spec.Needs is { } stated)
        {
            canonical += JsonSerializer.Serialize(new
            {
                stated.GpuModel, stated.GpuCount, stated.MinGpuMemoryGiB, stated.MaxPricePerHour,
                Providers = stated.Providers?.Select(p => p.ToString()).Order(StringComparer.Ordinal),
                Regions = stated.Regions?.Order(StringComparer.Ordinal), Spot = stated.Spot.ToString(),
            });
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
