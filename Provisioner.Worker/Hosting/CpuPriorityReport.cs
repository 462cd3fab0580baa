namespace Provisioner.Worker.Hosting;

/// <summary>Says at start-up what <see cref="CpuPriority.Lower"/> did: the priority is set before logging exists.</summary>
internal sealed partial class CpuPriorityReport(CpuPriorityOutcome outcome, ILogger<CpuPriorityReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (outcome.Nice == 0)
        {
            return Task.CompletedTask;
        }

        if (outcome.ThreadsRefused > 0 || outcome.Autogroup == AutogroupOutcome.Refused)
        {
            Refused(outcome.Nice, outcome.ThreadsSet, outcome.ThreadsRefused, outcome.Autogroup);
        }
        else
        {
            Lowered(outcome.Nice, outcome.ThreadsSet, outcome.Autogroup);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "CPU priority lowered to nice {Nice} on {Threads} thread(s); the session's CPU group: {Autogroup}")]
    private partial void Lowered(int nice, int threads, AutogroupOutcome autogroup);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CPU priority: nice {Nice} set on {Threads} thread(s), refused on {Refused} (already at a higher nice, which only a privileged process may lower); the session's CPU group: {Autogroup}")]
    private partial void Refused(int nice, int threads, int refused, AutogroupOutcome autogroup);
}
