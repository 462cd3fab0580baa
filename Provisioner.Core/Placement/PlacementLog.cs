using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Placement;

/// <summary>Placement's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class PlacementLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Live prices of {Provider} unavailable; ranking by the catalog")]
    public static partial void LivePricesUnavailable(this ILogger logger, Exception error, CloudProviderName provider);
}
