namespace Provisioner.Core.Providers;

/// <summary>A machine as a cloud reports it.</summary>
/// <param name="OwnerInstanceId">Our instance id read back from the machine's tags, when it carries them.</param>
/// <param name="Failure">Why the cloud gave up on it, when <paramref name="State"/> is <see cref="CloudMachineState.Failed"/>.</param>
/// <param name="SpotPricePerHour">What a spot machine is charged per hour, for clouds that say; null otherwise (billed at the ceiling, as an estimate).</param>
/// <param name="StoppedAt">
/// When the cloud says the machine stopped running when it was not us who stopped it (EC2's state-transition time, Novita's
/// <c>lastStoppedAt</c>, ARM's status time; the simulated cloud's outside event): billing ends there. Null when it did not say.
/// </param>
/// <param name="Health">What the cloud's own health checks say of the machine; <see cref="CloudMachineHealth.Unknown"/> when the answer did not say.</param>
/// <param name="HealthDetail">The cloud's words for an impaired machine (which check fails, and how), for the instance's failure reason.</param>
/// <param name="ImpairedSince">When the cloud says the machine started failing its checks (EC2's <c>ImpairedSince</c>, ARM's status time); null when it did not say.</param>
/// <param name="Metadata">
/// The cloud's own details of the machine, in its words (AWS: availability zone, instance type, image; Azure: resource
/// group, location, VM size): kept on the instance and shown to its client. Null when the answer carried none.
/// </param>
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
    decimal? SpotPricePerHour = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    DateTimeOffset? StoppedAt = null,
    CloudMachineHealth Health = CloudMachineHealth.Unknown,
    string? HealthDetail = null,
    DateTimeOffset? ImpairedSince = null);
