using System.ComponentModel;

namespace Provisioner.Core.Jobs;

/// <summary>
/// The jobs that carry out an instance's work, one per kind, as the job engine stores and shows them. Declared
/// here rather than beside their implementation in the worker so that every process (the API's jobs dashboard
/// among them) can load the type and name a job. Each takes the ticket of the <see cref="PendingWork"/> it was
/// made for; a job whose ticket is no longer pending does nothing.
/// </summary>
public interface IInstanceJobs
{
    [DisplayName("Launch instance {0}")]
    Task Launch(Guid instanceId, Guid ticket, CancellationToken cancellationToken);

    [DisplayName("Await readiness of instance {0}")]
    Task AwaitReady(Guid instanceId, Guid ticket, CancellationToken cancellationToken);

    [DisplayName("Terminate instance {0}")]
    Task Terminate(Guid instanceId, Guid ticket, CancellationToken cancellationToken);

    [DisplayName("Auto-terminate instance {0} at its deadline")]
    Task AutoTerminate(Guid instanceId, Guid ticket, CancellationToken cancellationToken);

    [DisplayName("Check instance {0} for idleness")]
    Task CheckIdle(Guid instanceId, Guid ticket, CancellationToken cancellationToken);
}
