using Microsoft.Extensions.Logging;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// A capacity failure that comes after the cloud accepted the launch (the machine is listed, then failed) is met like
/// one at launch when the instance's plan has offers left: the failed machine is deleted first, then the offering is
/// marked unavailable for every process and the launch moves to the next offer. A machine that cannot be deleted
/// now is left to the usual path (the instance fails, and the terminate step keeps at it), so nothing is orphaned.
/// </summary>
public sealed class LateCapacityFailover(
    ICloudProviderResolver providers,
    OfferFailover failover,
    ILogger<LateCapacityFailover> logger)
{
    public static bool Applies(Instance instance, CloudMachine? machine) =>
        instance is { Status: InstanceStatus.Provisioning, HasFallbackOffers: true }
        && machine is { State: CloudMachineState.Failed, Failure.Kind: CloudErrorKind.InsufficientCapacity };

    /// <returns>False when the failed machine could not be deleted: the caller goes on as without a plan.</returns>
    public async Task<bool> TryAsync(Instance current, CloudMachine machine, CancellationToken cancellationToken)
    {
        var provider = providers.ForBackend(current.Backend!);
        try
        {
            await provider.TerminateAsync(current.Region, machine.CloudInstanceId, cancellationToken);
        }
        catch (CloudProviderException error) when (error.Kind != CloudErrorKind.NotFound)
        {
            logger.FailedMachineNotDeleted(error, machine.CloudInstanceId, current.Id);
            return false;
        }

        var offering = current.CurrentOffer.Offering;
        // Someone else moved it on (a stop, a second run of this look): theirs stands.
        var next = await failover.MoveOnAsync(current.Id, offering, machine.Failure!.ToFailureReason(),
            instance => instance.Status == InstanceStatus.Provisioning && instance.CloudInstanceId == machine.CloudInstanceId,
            (instance, refusal, skip, backendFor, billingFor, now) => instance.FailOverAfterAcceptance(refusal, skip, backendFor, billingFor, now),
            cancellationToken);
        logger.FailedAfterAcceptance(
            current.Id, offering, next is null ? "no offer left" : $"failing over to {next.Offering}");
        return true;
    }
}
