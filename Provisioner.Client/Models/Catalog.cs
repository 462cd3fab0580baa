namespace Provisioner.Client.Models;

public sealed record GpuSpec(string Model, int Count, int MemoryGiB);

public sealed record InstanceType(string Provider, string Name, GpuSpec Gpu, int Vcpus, int MemoryGiB, decimal CostPerHour, IReadOnlyList<string> Regions);

/// <summary>An offer as the placer ranks it; <see cref="Available"/> false while the offering is in backoff after a
/// capacity refusal (<see cref="State"/> <c>backoff</c>, next try <see cref="UnavailableUntil"/>) or out of stock.</summary>
public sealed record Offer(
    string Provider, string InstanceType, string Region, string Market, string GpuModel, int GpuCount, int GpuMemoryGiB,
    decimal PricePerHour, bool Available, DateTimeOffset? UnavailableUntil, string? UnavailableReason,
    string State = "available", int? Refusals = null);

/// <summary>What to rank offers for; every part optional.</summary>
/// <param name="Spot"><c>never</c>, <c>preferred</c> or <c>required</c>.</param>
public sealed record OfferQuery(
    string? Gpu = null, int? Count = null, int? MinGpuMemoryGiB = null, decimal? MaxPricePerHour = null,
    IReadOnlyList<string>? Providers = null, IReadOnlyList<string>? Regions = null, string? Spot = null);
