using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances;

/// <summary>One step of an instance's timeline.</summary>
public sealed record InstanceEventResponse(InstanceStatus? From, InstanceStatus To, DateTimeOffset At, string Cause)
{
    public static InstanceEventResponse Of(InstanceEvent e) => new(e.FromStatus, e.ToStatus, e.At, e.Cause);
}

public sealed record InstanceEventsEnvelope(bool Success, IReadOnlyList<InstanceEventResponse> Events);
