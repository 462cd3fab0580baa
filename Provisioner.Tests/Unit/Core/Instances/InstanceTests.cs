using Provisioner.Core.Instances;

namespace Provisioner.Tests.Unit.Core.Instances;

public sealed class InstanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static Instance NewInstance(decimal price = 0.90m) => Instance.Create(Guid.NewGuid(), "tenant", new InstanceSpec(
        "user-1", "task-1", "analysis", CloudProviderName.Azure, "Standard_NC6", "eastus", 100, 60,
        new Dictionary<string, string> { ["env"] = "prod" }), price, Provisioner.Core.Billing.BillingRule.PerSecond, T0);

    [Fact]
    public void Create_StartsProvisioningWithDeadlineAndOneEvent()
    {
        var sut = NewInstance();

        sut.Status.Should().Be(InstanceStatus.Provisioning);
        sut.AutoTerminateAt.Should().Be(T0.AddMinutes(60));
        sut.Events.Should().ContainSingle().Which.ToStatus.Should().Be(InstanceStatus.Provisioning);
        sut.CostAt(T0.AddHours(1)).Should().Be(0m, "nothing is billed before the machine launches");
    }

    [Fact]
    public void Lifecycle_RecordsEachTransitionAndItsTimestamps()
    {
        var sut = NewInstance();
        sut.MarkLaunchRequested("SIMULATED", T0.AddSeconds(1));
        sut.RecordLaunch("sim-1", T0.AddSeconds(2), T0.AddSeconds(2));
        sut.MarkConfiguring("203.0.113.5", "10.0.0.5", T0.AddSeconds(5));
        sut.MarkReady(T0.AddSeconds(15));
        sut.RequestStop("client", T0.AddMinutes(30)).Should().BeTrue();
        sut.MarkTerminated("gone", T0.AddMinutes(30).AddSeconds(2));

        sut.Events.Select(e => e.ToStatus).Should().Equal(
            InstanceStatus.Provisioning, InstanceStatus.Configuring, InstanceStatus.Ready, InstanceStatus.Stopping, InstanceStatus.Terminated);
        sut.Events.Skip(1).Select(e => e.FromStatus).Should().Equal(
            InstanceStatus.Provisioning, InstanceStatus.Configuring, InstanceStatus.Ready, InstanceStatus.Stopping);
        sut.ReadyAt.Should().Be(T0.AddSeconds(15));
        sut.StopRequestedAt.Should().Be(T0.AddMinutes(30));
        sut.TerminatedAt.Should().Be(T0.AddMinutes(30).AddSeconds(2));
        sut.PublicIp.Should().Be("203.0.113.5");
    }

    [Fact]
    public void CostAt_BillsFromLaunchToTermination()
    {
        var sut = NewInstance(0.526m);
        sut.MarkLaunchRequested("SIMULATED", T0);
        sut.RecordLaunch("sim-1", T0, T0);

        sut.CostAt(T0.AddMinutes(30)).Should().Be(0.263m, "the seed's example: $0.526/hour for 30 minutes");

        sut.MarkConfiguring(null, null, T0.AddMinutes(1));
        sut.MarkReady(T0.AddMinutes(2));
        sut.RequestStop("client", T0.AddMinutes(29));
        sut.MarkTerminated("gone", T0.AddMinutes(30));

        sut.TotalCost.Should().Be(0.263m);
        sut.CostAt(T0.AddHours(5)).Should().Be(0.263m, "a terminated instance no longer accrues");
    }

    [Fact]
    public void IllegalMove_ThrowsAndChangesNothing()
    {
        var sut = NewInstance();

        var act = () => sut.MarkReady(T0.AddSeconds(1));

        act.Should().Throw<InvalidTransitionException>().Which.To.Should().Be(InstanceStatus.Ready);
        sut.Status.Should().Be(InstanceStatus.Provisioning);
        sut.Events.Should().HaveCount(1);
        sut.ReadyAt.Should().BeNull();
    }

    [Fact]
    public void RequestStop_Repeated_ChangesNothingTheSecondTime()
    {
        var sut = NewInstance();

        sut.RequestStop("first", T0.AddSeconds(1)).Should().BeTrue();
        sut.RequestStop("second", T0.AddSeconds(2)).Should().BeFalse();

        sut.Events.Should().HaveCount(2);
        sut.StopRequestedAt.Should().Be(T0.AddSeconds(1));
    }

    [Fact]
    public void RequestStop_OnFinalInstance_ChangesNothing()
    {
        var sut = NewInstance();
        sut.MarkFailed("Unauthorized: no", T0.AddSeconds(1));

        sut.RequestStop("late", T0.AddSeconds(2)).Should().BeFalse();

        sut.Status.Should().Be(InstanceStatus.Failed);
        sut.FailureReason.Should().Be("Unauthorized: no");
    }

    [Fact]
    public void RecordLaunch_ADifferentMachine_IsRefused()
    {
        var sut = NewInstance();
        sut.MarkLaunchRequested("SIMULATED", T0);
        sut.RecordLaunch("sim-1", T0, T0);

        var act = () => sut.RecordLaunch("sim-2", T0, T0);

        act.Should().Throw<InvalidOperationException>();
        sut.CloudInstanceId.Should().Be("sim-1");
    }
}
