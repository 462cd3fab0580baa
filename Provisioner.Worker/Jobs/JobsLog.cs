namespace Provisioner.Worker.Jobs;

/// <summary>The job host's log events, source-generated (no boxing, no template parse per call). Texts are stable: docs quote some.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay for {Channel} failed; trying again")]
    public static partial void RelayFailed(this ILogger logger, Exception error, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay lost its LISTEN connection to {Channel}; reconnecting")]
    public static partial void RelayListenLost(this ILogger logger, Exception error, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipping this {Name}: the previous run is still going")]
    public static partial void MaintenanceSkipped(this ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection budget: this worker may open {Need} of {Free} free PostgreSQL connections")]
    public static partial void ConnectionBudgetFits(this ILogger logger, int need, int free);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not declare recurring job {Id} (attempt {Attempt}); trying again")]
    public static partial void RecurringJobNotDeclared(this ILogger logger, Exception error, string id, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring job {Id} declared: {Cron}")]
    public static partial void RecurringJobDeclared(this ILogger logger, string id, string cron);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job wake-up listener lost its connection; job threads fall back to polling until it reconnects")]
    public static partial void WakeUpListenerLost(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over {Count} job(s) whose worker stopped keeping them alive")]
    public static partial void JobsTakenOver(this ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for jobs whose worker stopped keeping them alive; trying again")]
    public static partial void TakeoverFailed(this ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipping this {Name}: another worker is running it")]
    public static partial void PassSkipped(this ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Name} failed; trying again at its next interval")]
    public static partial void PassFailed(this ILogger logger, Exception error, string name);
}
