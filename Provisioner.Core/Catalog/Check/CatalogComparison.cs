using Provisioner.Core.Instances;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Catalog.Check;

/// <summary>
/// The differences between the catalog's offers of one provider and what its cloud says it sells, region by region.
/// Names are compared as launches resolve them (<see cref="CatalogNames"/>): a difference a launch resolves is only
/// <see cref="CatalogMismatchKind.SpelledDifferently"/>.
/// </summary>
public static class CatalogComparison
{
    public sealed record Finding(string Region, string InstanceType, string Kind, string? CloudName);

    public static IReadOnlyList<Finding> Compare(CloudProviderName provider, IEnumerable<InstanceTypeOffer> catalog, IEnumerable<CloudSoldType> sold)
    {
        var offers = catalog.Where(o => o.Provider == provider).ToList();
        var soldIn = sold.GroupBy(s => s.Region, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var findings = new Dictionary<(string, string, string), Finding>();
        void Add(Finding finding) => findings.TryAdd((finding.Region, finding.InstanceType, finding.Kind), finding);

        foreach (var offer in offers)
        {
            foreach (var region in offer.Regions)
            {
                var names = soldIn.GetValueOrDefault(region) ?? [];
                if (names.Contains(offer.Name, StringComparer.Ordinal))
                {
                    continue;
                }

                Add(CatalogNames.Resolve(offer.Name, names, n => n) is { } cloudName
                    ? new Finding(region, offer.Name, CatalogMismatchKind.SpelledDifferently, cloudName)
                    : new Finding(region, offer.Name, CatalogMismatchKind.UnknownToCloud, null));
            }
        }

        foreach (var (region, names) in soldIn)
        {
            foreach (var name in names.Where(name => !offers.Any(o => o.Regions.Contains(region) && CatalogNames.Same(o.Name, name))))
            {
                Add(new Finding(region, name, CatalogMismatchKind.NotInCatalog, null));
            }
        }

        return [.. findings.Values.OrderBy(f => f.Region, StringComparer.Ordinal).ThenBy(f => f.InstanceType, StringComparer.Ordinal)];
    }
}
