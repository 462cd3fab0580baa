using System.Globalization;
using Provisioner.Client.Models;

namespace Provisioner.Client;

/// <summary><c>/api/instance-types</c> and <c>/api/offers</c>.</summary>
public sealed partial class ProvisionerClient
{
    /// <param name="provider">AWS, AZURE, NOVITA or SIMULATED; every provider when null.</param>
    [ApiOperation("GET", "/api/instance-types")]
    public async Task<IReadOnlyList<InstanceType>> ListInstanceTypesAsync(string? provider = null, CancellationToken cancellationToken = default) =>
        (await SendAsync<InstanceTypesEnvelope>(HttpMethod.Get, "/api/instance-types" + Query(("provider", provider)), null, cancellationToken).ConfigureAwait(false)).InstanceTypes;

    /// <summary>Offers ranked as the placer would rank them (cheapest fitting first), with what is marked unavailable.</summary>
    [ApiOperation("GET", "/api/offers")]
    public async Task<IReadOnlyList<Offer>> ListOffersAsync(OfferQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new OfferQuery();
        var path = "/api/offers" + Query(
            ("gpu", query.Gpu),
            ("count", query.Count?.ToString(CultureInfo.InvariantCulture)),
            ("minGpuMemoryGiB", query.MinGpuMemoryGiB?.ToString(CultureInfo.InvariantCulture)),
            ("maxPricePerHour", query.MaxPricePerHour?.ToString(CultureInfo.InvariantCulture)),
            ("providers", query.Providers is { } p ? string.Join(',', p) : null),
            ("regions", query.Regions is { } r ? string.Join(',', r) : null),
            ("spot", query.Spot));
        return (await SendAsync<OffersEnvelope>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false)).Offers;
    }

    private sealed record InstanceTypesEnvelope(IReadOnlyList<InstanceType> InstanceTypes);

    private sealed record OffersEnvelope(IReadOnlyList<Offer> Offers);
}
