namespace Provisioner.Tests.Fakes.Ec2;

/// <summary>One machine in the local EC2, with EC2's state names and codes.</summary>
public sealed class LocalEc2Instance
{
    public required string InstanceId { get; init; }
    public required string ReservationId { get; init; }
    public required string InstanceType { get; init; }
    public required string ImageId { get; init; }
    public required string ClientToken { get; init; }
    public required string Region { get; init; }
    public required DateTimeOffset LaunchTime { get; init; }
    public required string PrivateIp { get; init; }
    public required string PublicIp { get; init; }
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
    public required IReadOnlyDictionary<string, string> LaunchParameters { get; init; }
    public DateTimeOffset? TerminateRequestedAt { get; set; }

    /// <summary>Why EC2 ended it (<c>stateReason</c>): ours (<c>Client.UserInitiatedShutdown</c>) or the cloud's own.</summary>
    public (string Code, string Message)? StateReason { get; set; }

    /// <summary>When it was stopped outside the provisioner (a console): stopping, then stopped, with EC2's <c>reason</c> text.</summary>
    public DateTimeOffset? StoppedOutsideAt { get; set; }

    /// <summary>When its instance status check started failing (reachability): still running, status <c>impaired</c>.</summary>
    public DateTimeOffset? ImpairedSince { get; set; }

    /// <summary>Whether its instance and system status checks pass: some time after it runs.</summary>
    public bool ChecksPassAt(DateTimeOffset now, TimeSpan pendingTime, TimeSpan statusCheckTime) =>
        TerminateRequestedAt is null && StoppedOutsideAt is null && now - LaunchTime >= pendingTime + statusCheckTime;

    public (int Code, string Name) StateAt(DateTimeOffset now, TimeSpan pendingTime, TimeSpan shutdownTime) =>
        TerminateRequestedAt is { } stop
            ? now - stop >= shutdownTime ? (48, "terminated") : (32, "shutting-down")
            : StoppedOutsideAt is { } stopped
                ? now - stopped >= shutdownTime ? (80, "stopped") : (64, "stopping")
                : now - LaunchTime >= pendingTime ? (16, "running") : (0, "pending");
}
