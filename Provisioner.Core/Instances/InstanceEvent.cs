namespace Provisioner.Core.Instances;

/// <summary>One recorded lifecycle transition: the timeline of an instance.</summary>
public sealed class InstanceEvent
{
    private InstanceEvent()
    {
        Cause = string.Empty;
    }

    internal InstanceEvent(Guid instanceId, InstanceStatus? from, InstanceStatus to, DateTimeOffset at, string cause)
    {
        InstanceId = instanceId;
        FromStatus = from;
        ToStatus = to;
        At = at;
        Cause = cause;
    }

    public long Id { get; private set; }
    public Guid InstanceId { get; private set; }

    /// <summary>Null for the event that records the instance's creation.</summary>
    public InstanceStatus? FromStatus { get; private set; }

    public InstanceStatus ToStatus { get; private set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>Why it happened, in words an operator can act on.</summary>
    public string Cause { get; private set; }
}
