namespace Provisioner.Core.Providers;

/// <summary>A machine as a cloud reports it.</summary>
/// <param name="OwnerInstanceId">Our instance id read back from the machine's tags, when it carries them.</param>
/// <param name="Failure">Why the cloud gave up on it, when <paramref name="State"/> is <see cref="CloudMachineState.Failed"/>.</param>
/// <param name="SpotPricePerHour">What a spot machine is charged per hour, for clouds that say; null otherwise (billed at the ceiling, as an estimate).</param>
public sealed record CloudMachine(
    string CloudInstanceId,
    CloudMachineState State,
    string InstanceType,
    string Region,
    string? PublicIp,
    string? PrivateIp,
    DateTimeOffset LaunchedAt,
    Guid? OwnerInstanceId,
    CloudMachineFailure? Failure = null,
    decimal? SpotPricePerHour = null);
