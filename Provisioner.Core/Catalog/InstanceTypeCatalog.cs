using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Catalog;

/// <summary>
/// The instance types and prices every provider sells, loaded once from the embedded
/// <c>Catalog/Data/instance-types.json</c>. Lookups are exact and case-sensitive, as the clouds' own names are.
/// </summary>
public sealed class InstanceTypeCatalog
{
    private const string ResourceName = "Provisioner.Core.Catalog.Data.instance-types.json";

    private readonly FrozenDictionary<CloudProviderName, FrozenDictionary<string, InstanceTypeOffer>> _types;
    private readonly FrozenDictionary<CloudProviderName, FrozenSet<string>> _regions;

    public InstanceTypeCatalog(IEnumerable<InstanceTypeOffer> offers, IReadOnlyDictionary<CloudProviderName, IReadOnlyList<string>> regions)
    {
        _types = offers
            .GroupBy(o => o.Provider)
            .ToFrozenDictionary(g => g.Key, g => g.ToFrozenDictionary(o => o.Name, StringComparer.Ordinal));
        _regions = regions.ToFrozenDictionary(r => r.Key, r => r.Value.ToFrozenSet(StringComparer.Ordinal));
        All = [.. _types.Values.SelectMany(t => t.Values).OrderBy(o => o.Provider).ThenBy(o => o.PricePerHour).ThenBy(o => o.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every offer, by provider, cheapest first.</summary>
    public IReadOnlyList<InstanceTypeOffer> All { get; }

    /// <summary>The providers the catalog sells anything for.</summary>
    public IEnumerable<CloudProviderName> Providers => _types.Keys;

    public bool TryFind(CloudProviderName provider, string instanceType, out InstanceTypeOffer offer)
    {
        offer = null!;
        return _types.TryGetValue(provider, out var types) && types.TryGetValue(instanceType, out offer!);
    }

    public bool IsKnownRegion(CloudProviderName provider, string region) =>
        _regions.TryGetValue(provider, out var regions) && regions.Contains(region);

    public IReadOnlyCollection<string> RegionsOf(CloudProviderName provider) =>
        _regions.TryGetValue(provider, out var regions) ? regions : [];

    public IReadOnlyCollection<string> TypesOf(CloudProviderName provider) =>
        _types.TryGetValue(provider, out var types) ? types.Keys : [];

    /// <summary>Loads the catalog shipped inside this assembly.</summary>
    public static InstanceTypeCatalog LoadEmbedded()
    {
        using var stream = typeof(InstanceTypeCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded catalog '{ResourceName}' is missing.");
        return Load(stream);
    }

    public static InstanceTypeCatalog Load(Stream json)
    {
        var file = JsonSerializer.Deserialize<CatalogFile>(json, CatalogJson)
            ?? throw new InvalidDataException("The instance-type catalog is empty.");
        var offers = new List<InstanceTypeOffer>();
        var regions = new Dictionary<CloudProviderName, IReadOnlyList<string>>();
        foreach (var provider in file.Providers)
        {
            if (regions.ContainsKey(provider.Provider))
            {
                throw new InvalidDataException($"Provider {provider.Provider} appears twice in the catalog.");
            }

            regions[provider.Provider] = provider.Regions;
            foreach (var type in provider.InstanceTypes)
            {
                if (type.PricePerHour <= 0 || type.Vcpus <= 0 || type.MemoryGiB <= 0 || type.Gpu.Count <= 0)
                {
                    throw new InvalidDataException($"Catalog entry {provider.Provider}/{type.Name} has a non-positive size or price.");
                }

                offers.Add(new InstanceTypeOffer(provider.Provider, type.Name, type.Gpu, type.Vcpus, type.MemoryGiB,
                    type.PricePerHour, type.Regions ?? provider.Regions));
            }
        }

        return new InstanceTypeCatalog(offers, regions);
    }

    private static readonly JsonSerializerOptions CatalogJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private sealed record CatalogFile(IReadOnlyList<CatalogProvider> Providers);

    private sealed record CatalogProvider(CloudProviderName Provider, IReadOnlyList<string> Regions, IReadOnlyList<CatalogType> InstanceTypes);

    private sealed record CatalogType(string Name, GpuSpec Gpu, int Vcpus, int MemoryGiB, decimal PricePerHour, IReadOnlyList<string>? Regions);
}
