using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// The engine's entry point for instance work: hands each delivery to the one runner. The engine's token fires as
/// soon as a drain (SIGTERM) begins; a step is short (its cloud calls have their own timeouts) and is let finish so
/// its outcome and follow-up are recorded, within Worker:ShutdownTimeout.
/// </summary>
internal sealed class InstanceJobs(InstanceWorkRunner runner) : IInstanceJobs
{
    public Task Run(InstanceJob job, CancellationToken _) =>
        runner.RunAsync(job.Kind, job.InstanceId, job.Ticket, CancellationToken.None);
}
