using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Billing;

/// <summary>Billing's log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class BillingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Cost rollup up to {FoldedUntil:O}: {Folded} instances folded, {Settled} settled, {Buckets} bucket updates")]
    public static partial void RollupDone(this ILogger logger, DateTimeOffset foldedUntil, int folded, int settled, int buckets);
}
