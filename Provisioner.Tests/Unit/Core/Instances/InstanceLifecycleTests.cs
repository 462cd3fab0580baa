using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Lifecycle;
using static Provisioner.Core.Instances.InstanceStatus;
using static Provisioner.Core.Instances.InstanceWorkKind;

namespace Provisioner.Tests.Unit.Core.Instances;

/// <summary>
/// The lifecycle's decisions without a database: every state meets every event the instance can be told, and the
/// table says whether the move is refused, where the instance ends up, and the work the one place turns it into.
/// </summary>
public sealed class InstanceLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = T0.AddMinutes(1);

    /// <summary>What an instance can be told: the domain methods that move it.</summary>
    public enum Event
    {
        MachineUp,
        MachinePassedChecks,
        Heartbeat,
        StopRequested,
        MachineConfirmedGone,
        FailedMachineHeld,
        FailedMachineGone,

        /// <summary>The cloud took the machine away from an instance that asked for relaunch and has relaunches left.</summary>
        InterruptedRelaunchAsked,
    }

    /// <summary>Null state: the event is refused (<see cref="InvalidTransitionException"/>) and nothing changes.</summary>
    private sealed record Expected(InstanceStatus? Status, params InstanceWorkKind[] Work);

    private static readonly Expected Refused = new(null);

    private static readonly Dictionary<InstanceStatus, Dictionary<Event, Expected>> Table = new()
    {
        [Provisioning] = new()
        {
            [Event.MachineUp] = new(Configuring),
            [Event.MachinePassedChecks] = Refused,
            [Event.Heartbeat] = Refused,
            [Event.StopRequested] = new(Stopping, Terminate),
            [Event.MachineConfirmedGone] = Refused,
            [Event.FailedMachineHeld] = new(Failed, Terminate),
            [Event.FailedMachineGone] = new(Failed),
            [Event.InterruptedRelaunchAsked] = new(Failed, Terminate),
        },
        [Configuring] = new()
        {
            [Event.MachineUp] = Refused,
            [Event.MachinePassedChecks] = new(Ready, IdleCheck),
            [Event.Heartbeat] = Refused,
            [Event.StopRequested] = new(Stopping, Terminate),
            [Event.MachineConfirmedGone] = Refused,
            [Event.FailedMachineHeld] = new(Failed, Terminate),
            [Event.FailedMachineGone] = new(Failed),
            [Event.InterruptedRelaunchAsked] = new(Failed, Terminate),
        },
        [Ready] = new()
        {
            [Event.MachineUp] = Refused,
            [Event.MachinePassedChecks] = Refused,
            [Event.Heartbeat] = new(Running),
            [Event.StopRequested] = new(Stopping, Terminate),
            [Event.MachineConfirmedGone] = Refused,
            [Event.FailedMachineHeld] = new(Failed, Terminate),
            [Event.FailedMachineGone] = new(Failed),
            [Event.InterruptedRelaunchAsked] = new(Provisioning, Relaunch, ReleaseMachines, AutoTerminate),
        },
        [Running] = new()
        {
            [Event.MachineUp] = Refused,
            [Event.MachinePassedChecks] = Refused,
            [Event.Heartbeat] = new(Running),
            [Event.StopRequested] = new(Stopping, Terminate),
            [Event.MachineConfirmedGone] = Refused,
            [Event.FailedMachineHeld] = new(Failed, Terminate),
            [Event.FailedMachineGone] = new(Failed),
            [Event.InterruptedRelaunchAsked] = new(Provisioning, Relaunch, ReleaseMachines, AutoTerminate),
        },
        [Stopping] = new()
        {
            [Event.MachineUp] = Refused,
            [Event.MachinePassedChecks] = Refused,
            [Event.Heartbeat] = Refused,
            [Event.StopRequested] = new(Stopping),
            [Event.MachineConfirmedGone] = new(Terminated),
            [Event.FailedMachineHeld] = new(Failed, Terminate),
            [Event.FailedMachineGone] = new(Failed),
            [Event.InterruptedRelaunchAsked] = new(Failed, Terminate),
        },
        [Terminated] = new()
        {
            [Event.MachineUp] = Refused,
            [Event.MachinePassedChecks] = Refused,
            [Event.Heartbeat] = Refused,
            [Event.StopRequested] = new(Terminated),
            [Event.MachineConfirmedGone] = Refused,
            [Event.FailedMachineHeld] = Refused,
            [Event.FailedMachineGone] = Refused,
            [Event.InterruptedRelaunchAsked] = Refused,
        },
        [Failed] = new()
        {
            [Event.MachineUp] = Refused,
            [Event.MachinePassedChecks] = Refused,
            [Event.Heartbeat] = Refused,
            [Event.StopRequested] = new(Failed),
            [Event.MachineConfirmedGone] = Refused,
            [Event.FailedMachineHeld] = Refused,
            [Event.FailedMachineGone] = Refused,
            [Event.InterruptedRelaunchAsked] = Refused,
        },
    };

    public static TheoryData<InstanceStatus, Event> EveryStateAndEvent()
    {
        var data = new TheoryData<InstanceStatus, Event>();
        foreach (var state in Enum.GetValues<InstanceStatus>())
        {
            foreach (var raised in Enum.GetValues<Event>())
            {
                data.Add(state, raised);
            }
        }

        return data;
    }

    [Fact]
    public void Table_CoversEveryStateAndEvent()
    {
        Table.Keys.Should().BeEquivalentTo(Enum.GetValues<InstanceStatus>());
        Table.Values.Should().AllSatisfy(row => row.Keys.Should().BeEquivalentTo(Enum.GetValues<Event>()));
    }

    [Theory]
    [MemberData(nameof(EveryStateAndEvent))]
    public void Event_InEveryState_MovesAsTheTableSaysAndSchedulesItsWork(InstanceStatus state, Event raised)
    {
        var sut = InstanceIn(state);
        var expected = Table[state][raised];
        var eventsBefore = sut.Events.Count;

        var act = () => Apply(sut, raised);

        if (expected.Status is null)
        {
            act.Should().Throw<InvalidTransitionException>();
            sut.Status.Should().Be(state, "a refused move changes nothing");
            sut.Events.Should().HaveCount(eventsBefore);
            return;
        }

        act.Should().NotThrow();
        sut.Status.Should().Be(expected.Status);
        var entered = sut.Events.Skip(eventsBefore).Select(e => e.ToStatus).ToList();
        var work = InstanceLifecycle.WorkAfter(sut, entered, Later);
        work.Select(w => w.Kind).Should().BeEquivalentTo(expected.Work);
        foreach (var item in work)
        {
            item.Should().Be(new InstanceWork(item.Kind, sut.Id, InstanceLifecycle.DueAt(item.Kind, sut, Later)));
        }

        InstanceLifecycle.Withdrawn(sut.Status).Should().BeEquivalentTo(
            InstanceLifecycle.IsFinal(sut.Status) ? [Create, AwaitReady, AutoTerminate, IdleCheck, Relaunch] : Array.Empty<InstanceWorkKind>(),
            "becoming final withdraws everything but the terminate step and the release of machines lost to interruptions");
    }

    [Fact]
    public void WorkAfter_Creation_SchedulesTheLaunchNowAndTheStopAtTheDeadline()
    {
        var sut = NewInstance();

        var work = InstanceLifecycle.WorkAfter(sut, sut.Events.Select(e => e.ToStatus), T0);

        work.Should().BeEquivalentTo([new InstanceWork(Create, sut.Id, T0), new InstanceWork(AutoTerminate, sut.Id, T0.AddMinutes(60))]);
    }

    [Fact]
    public void WorkAfter_StatePassedThrough_SchedulesNothingForIt()
    {
        var sut = InstanceIn(Ready);
        var before = sut.Events.Count;
        sut.RequestStop("stop", Later);
        sut.MarkTerminated("gone", Later);

        InstanceLifecycle.WorkAfter(sut, sut.Events.Skip(before).Select(e => e.ToStatus), Later).Should().BeEmpty("Stopping was only passed through");
    }

    [Fact]
    public void WorkAfter_TheStepDoingThatWork_GetsNoSecondCopy()
    {
        var sut = InstanceIn(Ready);
        var before = sut.Events.Count;
        sut.RequestStop("deadline", Later);

        InstanceLifecycle.WorkAfter(sut, sut.Events.Skip(before).Select(e => e.ToStatus), Later, doing: Terminate).Should().BeEmpty();
    }

    [Fact]
    public void WorkAfter_NoMove_SchedulesNothing()
    {
        var sut = InstanceIn(Running);

        InstanceLifecycle.WorkAfter(sut, [], Later).Should().BeEmpty();
    }

    public static TheoryData<InstanceStatus, InstanceWorkKind[]> MustHave() => new()
    {
        { Provisioning, [Create] },
        { Configuring, [AwaitReady] },
        { Ready, [AutoTerminate, IdleCheck] },
        { Running, [AutoTerminate, IdleCheck] },
        { Stopping, [Terminate] },
        { Terminated, [] },
        { Failed, [] },
    };

    [Theory]
    [MemberData(nameof(MustHave))]
    public void MustHavePending_EveryState_IsWhatTheSweepRepairs(InstanceStatus state, InstanceWorkKind[] expected) =>
        InstanceLifecycle.MustHavePending(InstanceIn(state)).Should().BeEquivalentTo(expected);

    [Fact]
    public void MustHavePending_ProvisioningWithAMachine_IsTheReadinessLook()
    {
        var sut = NewInstance();
        sut.RecordLaunch("i-1", T0, T0);

        InstanceLifecycle.MustHavePending(sut).Should().Equal(AwaitReady);
    }

    [Fact]
    public void MustHavePending_Relaunching_IsThePlacementAndTheReleaseOfTheLostMachine()
    {
        var sut = InstanceIn(Ready);
        sut.MarkInterrupted("reclaimed", Later, machineGone: false, Later);

        InstanceLifecycle.MustHavePending(sut).Should().Equal(Relaunch, ReleaseMachines);
        sut.PlaceForRelaunch(new HashSet<Provisioner.Core.Placement.Offering>(), _ => "SIMULATED", _ => BillingRule.PerSecond, Later);
        InstanceLifecycle.MustHavePending(sut).Should().Equal(Create, ReleaseMachines);
        sut.RecordMachineReleased("i-1", Later);
        InstanceLifecycle.MustHavePending(sut).Should().Equal(Create);
    }

    [Fact]
    public void MustHavePending_ReadyWithoutIdleLimit_IsOnlyTheDeadline() =>
        InstanceLifecycle.MustHavePending(InstanceIn(Ready, idleMinutes: null)).Should().Equal(AutoTerminate);

    [Theory]
    [InlineData(Provisioning, 10)]
    [InlineData(Configuring, 15)]
    [InlineData(Stopping, 20)]
    [InlineData(Ready, null)]
    [InlineData(Running, null)]
    [InlineData(Terminated, null)]
    [InlineData(Failed, null)]
    public void TimeLimit_EveryState_ComesFromItsSetting(InstanceStatus state, int? minutes)
    {
        var settings = new LifecycleOptions
        {
            ProvisioningTimeout = TimeSpan.FromMinutes(10),
            ConfiguringTimeout = TimeSpan.FromMinutes(15),
            StoppingTimeout = TimeSpan.FromMinutes(20),
        };

        InstanceLifecycle.TimeLimit(state, settings).Should().Be(minutes is { } m ? TimeSpan.FromMinutes(m) : null);
    }

    private static void Apply(Instance instance, Event raised)
    {
        switch (raised)
        {
            case Event.MachineUp:
                instance.MarkConfiguring("203.0.113.1", "10.0.0.1", Later);
                break;
            case Event.MachinePassedChecks:
                instance.MarkReady(Later);
                break;
            case Event.Heartbeat:
                instance.RecordHeartbeat(Later);
                break;
            case Event.StopRequested:
                instance.RequestStop("stop", Later);
                break;
            case Event.MachineConfirmedGone:
                instance.MarkTerminated("gone", Later);
                break;
            case Event.FailedMachineHeld:
                instance.MarkFailed("failed", Later);
                break;
            case Event.FailedMachineGone:
                instance.MarkFailed("failed", Later, machineGone: true);
                break;
            case Event.InterruptedRelaunchAsked:
                instance.MarkInterrupted("reclaimed", Later, machineGone: false, Later);
                break;
        }
    }

    private static Instance NewInstance(int? idleMinutes = 30) => Instance.Create(Guid.NewGuid(), "tenant", new InstanceSpec(
        "user-1", null, null, CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50, 60,
        new Dictionary<string, string>(), IdleTerminateMinutes: idleMinutes, OnInterruption: InterruptionPolicy.Relaunch, MaxInterruptions: 3),
        1.0m, BillingRule.PerSecond, T0);

    /// <summary>An instance brought to <paramref name="state"/> the way the steps bring it there.</summary>
    private static Instance InstanceIn(InstanceStatus state, int? idleMinutes = 30)
    {
        var instance = NewInstance(idleMinutes);
        if (state == Provisioning)
        {
            return instance;
        }

        if (state == Failed)
        {
            instance.MarkFailed("failed", T0);
            return instance;
        }

        instance.RecordLaunch("i-1", T0, T0);
        instance.MarkConfiguring("203.0.113.1", "10.0.0.1", T0);
        if (state == Configuring)
        {
            return instance;
        }

        instance.MarkReady(T0);
        if (state == Ready)
        {
            return instance;
        }

        if (state == Running)
        {
            instance.RecordHeartbeat(T0);
            return instance;
        }

        instance.RequestStop("stop", T0);
        if (state == Terminated)
        {
            instance.MarkTerminated("gone", T0);
        }

        return instance;
    }
}
