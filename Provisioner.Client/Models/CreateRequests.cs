namespace Provisioner.Client.Models;

/// <summary>
/// A create in the original design's shape: who it is for and what machine, either exact (<see cref="InstanceConfig.Provider"/>,
/// <see cref="InstanceConfig.InstanceType"/>, <see cref="InstanceConfig.Region"/>) or by <see cref="InstanceConfig.Requirements"/>.
/// </summary>
public sealed record CreateInstanceRequest
{
    public required string UserId { get; init; }
    public string? TaskId { get; init; }
    public string? Purpose { get; init; }
    public required InstanceConfig Config { get; init; }

    /// <summary>Where to send this instance's events instead of the tenant's default webhook.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Which events (<c>instance.ready</c>, … or <c>*</c>); default ready, terminated, failed.</summary>
    public IReadOnlyList<string>? WebhookEvents { get; init; }

    /// <summary>
    /// <c>fail</c> (the API's default) or <c>relaunch</c>: when the cloud takes the machine away after READY, relaunch the same
    /// instance on a new machine (up to the server's bound) instead of failing it.
    /// </summary>
    public string? OnInterruption { get; init; }
}

public sealed record InstanceConfig
{
    public string? Provider { get; init; }
    public string? InstanceType { get; init; }
    public string? Region { get; init; }
    public int? DiskSizeGB { get; init; }
    public int? AutoTerminateMinutes { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public int? IdleTerminateMinutes { get; init; }
    public decimal? SpotMaxPrice { get; init; }
    public string? UserData { get; init; }
    public Requirements? Requirements { get; init; }

    /// <summary>How long to wait for capacity when every offer is refused (0 or null: fail at once).</summary>
    public int? CapacityWaitMinutes { get; init; }
}

/// <summary>What the machine must have; the placer picks the cheapest fitting offer and fails over on capacity refusals.</summary>
/// <param name="Spot"><c>never</c> (default), <c>preferred</c> or <c>required</c>.</param>
public sealed record Requirements(
    string Gpu,
    int? GpuCount = null,
    int? MinGpuMemoryGiB = null,
    decimal? MaxPricePerHour = null,
    IReadOnlyList<string>? Providers = null,
    IReadOnlyList<string>? Regions = null,
    string? Spot = null);

/// <summary>A create in the NovitaAI service's shape: a NOVITA product by name, its GPU count, disk and template.</summary>
public sealed record NovitaCreateInstanceRequest
{
    public required string Name { get; init; }
    public required string ProductName { get; init; }
    public required long TemplateId { get; init; }
    public required int GpuNum { get; init; }
    public required int RootfsSize { get; init; }
    public string? Region { get; init; }

    /// <summary>Stopped this long after the request, 5-120 minutes; the API's default is 60.</summary>
    public int? AutoTerminateMinutes { get; init; }

    public string? WebhookUrl { get; init; }
    public IReadOnlyList<string>? WebhookEvents { get; init; }

    /// <summary><c>fail</c> (default) or <c>relaunch</c>, as <see cref="CreateInstanceRequest.OnInterruption"/>.</summary>
    public string? OnInterruption { get; init; }
}

/// <summary>Filters and paging for <see cref="ProvisionerClient.ListInstancesAsync"/>.</summary>
public sealed record InstanceQuery(string? UserId = null, string? Status = null, int? Limit = null, string? Cursor = null);
