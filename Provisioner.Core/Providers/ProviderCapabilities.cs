namespace Provisioner.Core.Providers;

/// <summary>
/// What an adapter can do. The API refuses a request that asks a provider for anything outside these (a 400
/// naming the field), so nothing is accepted only to fail later on the cloud.
/// </summary>
public sealed record ProviderCapabilities
{
    /// <summary>Interruptible machines at a price ceiling (<c>spotMaxPrice</c>).</summary>
    public required bool Spot { get; init; }

    /// <summary>A boot script from the client (<c>userData</c>).</summary>
    public required bool UserData { get; init; }

    /// <summary>
    /// The machine stops itself at its deadline even if this system is down. Without it the deadline rests on
    /// our own jobs and sweeps alone.
    /// </summary>
    public required bool DeadManSwitch { get; init; }

    /// <summary>The client's tags go onto the machine and its resources (<c>tags</c>).</summary>
    public required bool ResourceTags { get; init; }

    /// <summary>The regions served; null: every region the catalog lists for the provider.</summary>
    public IReadOnlySet<string>? Regions { get; init; }

    /// <summary>The instance types served; null: every type the catalog lists for the provider.</summary>
    public IReadOnlySet<string>? InstanceTypes { get; init; }

    /// <summary>What the cloud refuses in a request (tag rules); none by default.</summary>
    public CloudRequestRules RequestRules { get; init; } = CloudRequestRules.None;

    public bool ServesRegion(string region) => Regions is null || Regions.Contains(region);

    public bool ServesInstanceType(string instanceType) => InstanceTypes is null || InstanceTypes.Contains(instanceType);
}
