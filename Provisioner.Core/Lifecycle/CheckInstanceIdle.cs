using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Stops an instance whose heartbeats stopped for its idle limit. A heartbeat since the check was scheduled
/// only moves the check later, so a busy instance is never stopped for idleness.
/// </summary>
public sealed class CheckInstanceIdle(InstanceUpdater updater) : IInstanceStep
{
    Task<StepOutcome> IInstanceStep.RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken) =>
        RunAsync(instanceId, cancellationToken);

    public async Task<StepOutcome> RunAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            if (instance.Status is not (InstanceStatus.Ready or InstanceStatus.Running) || instance.IdleDeadline is not { } deadline)
            {
                return false;
            }

            if (now < deadline)
            {
                work.Add(new InstanceWork(InstanceWorkKind.IdleCheck, instance.Id, deadline));
                return false;
            }

            // Entering Stopping schedules the terminate step.
            instance.RequestStop($"idle: no heartbeat for {instance.IdleTerminateMinutes} minutes", now);
            return true;
        }, cancellationToken);
        return StepOutcome.Done;
    }
}
