using Provisioner.Core.Instances;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Providers.Novita;

/// <summary>Novita's product list as live prices: per GPU-hour, on demand and spot, and whether it can be deployed now.</summary>
internal sealed class NovitaLivePrices(NovitaProductCache products) : ILivePrices
{
    public CloudProviderName Provider => CloudProviderName.Novita;

    public async Task<IReadOnlyDictionary<(string InstanceType, string Region), LivePrice>> ReadAsync(
        IReadOnlyCollection<string> regions, CancellationToken cancellationToken)
    {
        var prices = new Dictionary<(string, string), LivePrice>();
        foreach (var cluster in regions)
        {
            foreach (var product in await products.InClusterAsync(cluster, cancellationToken))
            {
                prices[(product.Name, cluster)] = new LivePrice(
                    product.PricePerGpuHour, product.OffersSpot ? product.SpotPricePerGpuHour : null, product.AvailableDeploy);
            }
        }

        return prices;
    }
}
