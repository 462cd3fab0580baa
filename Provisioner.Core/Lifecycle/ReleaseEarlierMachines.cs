using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// Releases the machines an instance lost to interruptions and was relaunched from (<see cref="Instance.Machines"/>): each
/// one the cloud may still hold (a stopped machine keeps its disk, a reclaim may be announced ahead) is terminated and
/// looked at until the cloud confirms it gone, then recorded released. Deleting what is already gone is success, so a
/// second run, or the reconciler's orphan sweep doing the same, is harmless. A failed call is settled by its class and
/// never thrown out of the step: retried, then tried again later, while the machine is not confirmed gone.
/// </summary>
public sealed class ReleaseEarlierMachines(
    InstanceUpdater updater,
    ICloudProviderResolver providers,
    IOptions<LifecycleOptions> lifecycle,
    ILogger<ReleaseEarlierMachines> logger) : IInstanceStep
{
    public async Task<StepOutcome> RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken)
    {
        var instance = await updater.ReadAsync(instanceId, cancellationToken);
        if (instance is null || !instance.HasUnreleasedMachines)
        {
            return StepOutcome.Done;
        }

        var released = new List<string>();
        CloudProviderException? failed = null;
        foreach (var machine in instance.Machines.Where(m => m.ReleasedAt is null))
        {
            var provider = machine.Backend is { } backend ? providers.ForBackend(backend) : providers.ForRequested(machine.Provider);
            try
            {
                await provider.TerminateAsync(machine.Region, machine.CloudInstanceId, cancellationToken);
                var seen = await provider.DescribeAsync(machine.Region, machine.CloudInstanceId, cancellationToken);
                if (seen is null || seen.State is CloudMachineState.Terminated or CloudMachineState.Failed)
                {
                    released.Add(machine.CloudInstanceId);
                }
            }
            catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
            {
                released.Add(machine.CloudInstanceId);
            }
            catch (CloudProviderException error)
            {
                logger.EarlierMachineNotReleased(error, machine.CloudInstanceId, instanceId);
                failed ??= error;
            }
        }

        if (failed is { AskedToWait: null, IsRetryable: true } && !attempt.IsLast && released.Count == 0)
        {
            return StepOutcome.Retry(failed);
        }

        var settings = lifecycle.Value;
        var next = failed is null ? settings.TerminatePollInterval
            : failed.AskedToWait ?? (failed.IsRetryable ? settings.TerminatePollInterval : settings.RefusedTerminateRetryInterval);
        await updater.UpdateAsync(instanceId, (current, now, work) =>
        {
            foreach (var cloudId in released)
            {
                current.RecordMachineReleased(cloudId, now);
            }

            // Not confirmed gone yet (the cloud is still stopping it, or a call failed): look again.
            if (current.HasUnreleasedMachines)
            {
                work.Add(new InstanceWork(InstanceWorkKind.ReleaseMachines, current.Id, now + next));
            }

            return true;
        }, cancellationToken, doing: InstanceWorkKind.ReleaseMachines);
        return StepOutcome.Done;
    }
}
