using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Catalog.Check;

/// <summary>The catalog check's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class CatalogCheckLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog check of {Provider} could not read the cloud's list; its previous findings stay")]
    public static partial void ListUnreadable(this ILogger logger, Exception error, CloudProviderName provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog check of {Provider}: {Count} differences from the cloud's list")]
    public static partial void DifferencesFound(this ILogger logger, CloudProviderName provider, int count);
}
