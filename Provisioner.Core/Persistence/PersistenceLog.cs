using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Persistence;

/// <summary>Persistence's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current ({Migrations} migrations)")]
    public static partial void SchemaCurrent(this ILogger logger, int migrations);
}
