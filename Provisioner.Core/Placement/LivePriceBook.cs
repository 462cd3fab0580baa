using Microsoft.Extensions.Logging;
using Provisioner.Core.Catalog;

namespace Provisioner.Core.Placement;

/// <summary>
/// The live prices of every cloud that publishes them, for one ranking. A cloud that does not answer within a short
/// time is ranked by the catalog, so placement never waits on a slow price list.
/// </summary>
public sealed class LivePriceBook(IEnumerable<ILivePrices> sources, InstanceTypeCatalog catalog, ILogger<LivePriceBook> logger)
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyDictionary<LivePriceKey, LivePrice>> ReadAsync(CancellationToken cancellationToken)
    {
        var book = new Dictionary<LivePriceKey, LivePrice>();
        foreach (var source in sources)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ReadTimeout);
            try
            {
                foreach (var ((type, region), price) in await source.ReadAsync(catalog.RegionsOf(source.Provider), deadline.Token))
                {
                    book[new LivePriceKey(source.Provider, type, region)] = price;
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LivePricesUnavailable(error, source.Provider);
            }
        }

        return book;
    }
}
