namespace Provisioner.Core.Providers;

/// <summary>
/// What the machine watch reads of a machine (<see cref="ICloudProvider.ReadStatesAsync"/>): its state, why and when it
/// stopped where the cloud says, and its health. Narrower than <see cref="CloudMachine"/>, as the clouds' status calls are
/// (EC2's DescribeInstanceStatus carries no addresses or type).
/// </summary>
/// <param name="Failure">Why the cloud gave up on it, when <paramref name="State"/> is <see cref="CloudMachineState.Failed"/>.</param>
/// <param name="StoppedAt">When the cloud says it stopped running when it was not us who stopped it: billing ends there.</param>
/// <param name="HealthDetail">The cloud's words for an impaired machine.</param>
/// <param name="ImpairedSince">When the cloud says it started failing its checks; null when it did not say.</param>
public sealed record CloudMachineStatus(
    string CloudInstanceId,
    CloudMachineState State,
    CloudMachineFailure? Failure = null,
    DateTimeOffset? StoppedAt = null,
    CloudMachineHealth Health = CloudMachineHealth.Unknown,
    string? HealthDetail = null,
    DateTimeOffset? ImpairedSince = null)
{
    public static CloudMachineStatus Of(CloudMachine machine) => new(
        machine.CloudInstanceId, machine.State, machine.Failure, machine.StoppedAt, machine.Health, machine.HealthDetail, machine.ImpairedSince);
}
