using System.Collections.Frozen;
using System.Globalization;
using static Provisioner.Core.Instances.InstanceStatus;
using static Provisioner.Core.Instances.InstanceWorkKind;

namespace Provisioner.Core.Instances;

/// <summary>
/// The one definition of an instance's lifecycle: for every state, where it may move, the work entering it
/// schedules, the work it must always have pending (what the lost-work sweep repairs), how long it may last, and
/// the work it withdraws. <see cref="Instance"/> checks its moves here; the instance updater turns the moves a
/// decision made into outbox work here (<see cref="WorkAfter"/>); the sweep asks <see cref="MustHavePending"/> and
/// <see cref="TimeLimit"/>. A new state is one more row.
/// </summary>
public static class InstanceLifecycle
{
    private static readonly InstanceWorkKind[] None = [];

    /// <summary>Work a finished instance no longer needs: everything but the terminate step, which a failed one still needs.</summary>
    private static readonly InstanceWorkKind[] NotNeededOnceFinal = [Create, AwaitReady, AutoTerminate, IdleCheck, Relaunch];

    private static readonly FrozenDictionary<InstanceStatus, StateRule> Rules = new StateRule[]
    {
        new(Provisioning, Moves: [Configuring, Stopping, Failed],
            // Back from an interruption (relaunch asked): placed again first, and the lost machine released.
            OnEnter: i => i.RelaunchPending ? Releasing(i, [Relaunch, AutoTerminate]) : [Create, AutoTerminate],
            // Launching is idempotent by token: a re-run finds the machine a lost answer left behind.
            MustHave: i => Releasing(i, i.RelaunchPending ? [Relaunch] : i.CloudInstanceId is null ? [Create] : [AwaitReady]),
            Limit: l => l.ProvisioningTimeout),
        new(Configuring, Moves: [Ready, Stopping, Failed],
            // The readiness step schedules its own next look (it backs off); entering asks for nothing more.
            OnEnter: _ => None,
            MustHave: i => Releasing(i, [AwaitReady]),
            Limit: l => l.ConfiguringTimeout),
        // An interruption with relaunch asked moves a Ready or Running instance back to Provisioning (Instance.MarkInterrupted).
        new(Ready, Moves: [Running, Stopping, Failed, Provisioning],
            OnEnter: i => i.IdleDeadline is null ? None : [IdleCheck],
            MustHave: DeadlineAndIdleCheck,
            Limit: _ => null),
        new(Running, Moves: [Stopping, Failed, Provisioning],
            OnEnter: _ => None,
            MustHave: DeadlineAndIdleCheck,
            Limit: _ => null),
        new(Stopping, Moves: [Terminated, Failed],
            OnEnter: _ => [Terminate],
            MustHave: i => Releasing(i, [Terminate]),
            Limit: l => l.StoppingTimeout),
        new(Terminated, Moves: [],
            OnEnter: i => i.HasUnreleasedMachines ? [ReleaseMachines] : None,
            MustHave: _ => None,
            Limit: _ => null,
            Withdraws: NotNeededOnceFinal),
        new(Failed, Moves: [],
            // Final for the record, but a machine not known to be released still bills: the terminate step releases it.
            OnEnter: i => [.. i.ReleasedAt is null ? [Terminate] : None, .. i.HasUnreleasedMachines ? [ReleaseMachines] : None],
            MustHave: _ => None,
            Limit: _ => null,
            Withdraws: NotNeededOnceFinal),
    }.ToFrozenDictionary(rule => rule.Status);

    /// <summary>Every state, in declaration order of <see cref="InstanceStatus"/>.</summary>
    public static IReadOnlyList<InstanceStatus> States { get; } = Enum.GetValues<InstanceStatus>();

    /// <summary>Whether an instance in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsAllowed(InstanceStatus from, InstanceStatus to) => Rules[from].Moves.Contains(to);

    /// <summary>Terminated and Failed: nothing follows them.</summary>
    public static bool IsFinal(InstanceStatus status) => Rules[status].Moves.Length == 0;

    /// <summary>A machine may be billing in these states.</summary>
    public static bool IsLive(InstanceStatus status) => !IsFinal(status);

    /// <summary>How long an instance may stay in <paramref name="status"/>, or null where it ends at its deadline.</summary>
    public static TimeSpan? TimeLimit(InstanceStatus status, IStateTimeLimits limits) => Rules[status].Limit(limits);

    /// <summary>
    /// Why an instance is failed for staying in its state past the limit, naming the last cloud error a step met
    /// in that state (an older one says nothing about this wait).
    /// </summary>
    public static string StuckReason(Instance instance, TimeSpan limit)
    {
        var reason = string.Create(CultureInfo.InvariantCulture, $"Stuck: {instance.Status.ToString().ToUpperInvariant()} for longer than {limit.TotalMinutes:0.#} minutes");
        return instance.LastCloudError is { } error && instance.LastCloudErrorAt >= instance.StatusChangedAt
            ? $"{reason}; last cloud error: {error}"
            : reason;
    }

    /// <summary>The work an instance in its current state must always have pending; the sweep schedules what is missing.</summary>
    public static IReadOnlyList<InstanceWorkKind> MustHavePending(Instance instance) => Rules[instance.Status].MustHave(instance);

    /// <summary>The work pending for an instance in its current state that it no longer needs.</summary>
    public static IReadOnlyList<InstanceWorkKind> Withdrawn(InstanceStatus status) => Rules[status].Withdraws ?? None;

    /// <summary>When work of <paramref name="kind"/> falls due for <paramref name="instance"/>: its deadline, its idle limit, or now.</summary>
    public static DateTimeOffset DueAt(InstanceWorkKind kind, Instance instance, DateTimeOffset now) => kind switch
    {
        AutoTerminate => instance.AutoTerminateAt,
        IdleCheck => instance.IdleDeadline ?? now,
        _ => now,
    };

    /// <summary>
    /// The work the states a decision moved the instance into call for: each entered state's entry work, if the
    /// instance is still in it (a state passed through on the way, like Stopping on the way to Terminated, asks for
    /// nothing), except the kind the deciding step is itself doing.
    /// </summary>
    /// <param name="entered">The states the decision's moves entered, in order (from the events it raised).</param>
    /// <param name="doing">The kind of work the deciding step carries out itself, which it needs no second copy of.</param>
    public static IReadOnlyList<InstanceWork> WorkAfter(Instance instance, IEnumerable<InstanceStatus> entered, DateTimeOffset now, InstanceWorkKind? doing = null) =>
        entered.Contains(instance.Status)
            ? [.. Rules[instance.Status].OnEnter(instance).Where(kind => kind != doing).Select(kind => new InstanceWork(kind, instance.Id, DueAt(kind, instance, now)))]
            : [];

    private static InstanceWorkKind[] DeadlineAndIdleCheck(Instance instance) =>
        Releasing(instance, instance.IdleDeadline is null ? [AutoTerminate] : [AutoTerminate, IdleCheck]);

    /// <summary>A live instance relaunched from a machine the cloud may still hold keeps its release pending until it is confirmed gone.</summary>
    private static InstanceWorkKind[] Releasing(Instance instance, InstanceWorkKind[] work) =>
        instance.HasUnreleasedMachines ? [.. work, ReleaseMachines] : work;

    private sealed record StateRule(
        InstanceStatus Status,
        InstanceStatus[] Moves,
        Func<Instance, InstanceWorkKind[]> OnEnter,
        Func<Instance, InstanceWorkKind[]> MustHave,
        Func<IStateTimeLimits, TimeSpan?> Limit,
        InstanceWorkKind[]? Withdraws = null);
}
