using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Budgets;

/// <summary>Budgets' log events, source-generated (no boxing, no template parse per call).</summary>
internal static partial class BudgetsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {Owner} has spent {Spent} USD, {Percent}% of its monthly budget of {Limit} USD: {Action}")]
    public static partial void BudgetCrossed(this ILogger logger, string owner, decimal spent, int percent, decimal limit, string action);
}
