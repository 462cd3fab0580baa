using System.Collections.Frozen;

namespace Provisioner.Core.Instances;

/// <summary>
/// The one table of legal lifecycle moves. Every status change goes through <see cref="Instance"/>,
/// which consults this table; nothing else decides what may follow what.
/// </summary>
public static class InstanceTransitions
{
    private static readonly FrozenDictionary<InstanceStatus, InstanceStatus[]> Allowed =
        new Dictionary<InstanceStatus, InstanceStatus[]>
        {
            [InstanceStatus.Provisioning] = [InstanceStatus.Configuring, InstanceStatus.Stopping, InstanceStatus.Failed],
            [InstanceStatus.Configuring] = [InstanceStatus.Ready, InstanceStatus.Stopping, InstanceStatus.Failed],
            [InstanceStatus.Ready] = [InstanceStatus.Running, InstanceStatus.Stopping, InstanceStatus.Failed],
            [InstanceStatus.Running] = [InstanceStatus.Stopping, InstanceStatus.Failed],
            [InstanceStatus.Stopping] = [InstanceStatus.Terminated, InstanceStatus.Failed],
            [InstanceStatus.Terminated] = [],
            [InstanceStatus.Failed] = [],
        }.ToFrozenDictionary();

    /// <summary>Whether an instance in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsAllowed(InstanceStatus from, InstanceStatus to) => Allowed[from].Contains(to);

    /// <summary>The states an instance in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<InstanceStatus> From(InstanceStatus from) => Allowed[from];

    /// <summary>Terminated and Failed: nothing follows them.</summary>
    public static bool IsFinal(InstanceStatus status) => Allowed[status].Length == 0;

    /// <summary>A machine may be billing in these states.</summary>
    public static bool IsLive(InstanceStatus status) => !IsFinal(status);

    /// <summary>The states counted as "currently running" in the statistics, as the seed counts them.</summary>
    public static readonly IReadOnlyList<InstanceStatus> InUse = [InstanceStatus.Ready, InstanceStatus.Running];
}
