using Microsoft.Extensions.Options;

namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// Novita's product list per cluster (live prices, spot prices, stock), read at most once per
/// <see cref="NovitaOptions.ProductCacheTime"/>: a launch and the placer's ranking both read it, and Novita is not asked
/// for the same list many times a second.
/// </summary>
internal sealed class NovitaProductCache(NovitaClient client, IOptions<NovitaOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, (DateTimeOffset ReadAt, IReadOnlyList<NovitaProduct> Products)> _byCluster = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<IReadOnlyList<NovitaProduct>> InClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_byCluster.TryGetValue(clusterId, out var cached) && now - cached.ReadAt < options.Value.ProductCacheTime)
            {
                return cached.Products;
            }
        }

        var products = await client.ProductsAsync(clusterId, cancellationToken);
        lock (_gate)
        {
            _byCluster[clusterId] = (now, products);
        }

        return products;
    }
}
