namespace Provisioner.Core.Placement;

/// <summary>Nothing the placer may launch fits the request; nothing was written.</summary>
/// <param name="overPrice">Offers fit the GPUs asked for, but none within the request's <c>maxPricePerHour</c>.</param>
public sealed class NoOfferException(PlacementRequest request, bool overPrice)
    : Exception(overPrice
        ? $"Offers fit the GPUs asked for, but none costs {request.MaxPricePerHour} USD per hour or less."
        : "No offer fits the GPUs asked for among the allowed providers and regions.")
{
    public PlacementRequest Request { get; } = request;

    public bool OverPrice { get; } = overPrice;
}
