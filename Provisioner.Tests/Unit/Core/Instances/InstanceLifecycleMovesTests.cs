using Provisioner.Core.Instances;
using static Provisioner.Core.Instances.InstanceStatus;

namespace Provisioner.Tests.Unit.Core.Instances;

public sealed class InstanceLifecycleMovesTests
{
    public static TheoryData<InstanceStatus, InstanceStatus> Legal() => new()
    {
        { Provisioning, Configuring }, { Configuring, Ready }, { Ready, Running }, { Running, Stopping }, { Stopping, Terminated },
        { Provisioning, Stopping }, { Configuring, Stopping }, { Ready, Stopping },
        { Provisioning, Failed }, { Configuring, Failed }, { Ready, Failed }, { Running, Failed }, { Stopping, Failed },
        // An interruption of an instance that asked for relaunch: back to Provisioning, keeping its id.
        { Ready, Provisioning }, { Running, Provisioning },
    };

    [Theory]
    [MemberData(nameof(Legal))]
    public void IsAllowed_LegalMove_IsTrue(InstanceStatus from, InstanceStatus to) =>
        InstanceLifecycle.IsAllowed(from, to).Should().BeTrue();

    [Fact]
    public void IsAllowed_EveryOtherMove_IsFalse()
    {
        var legal = Legal().Select(row => ((InstanceStatus)row[0], (InstanceStatus)row[1])).ToHashSet();
        var statuses = Enum.GetValues<InstanceStatus>();

        var illegal = statuses.SelectMany(from => statuses.Select(to => (from, to))).Where(move => !legal.Contains(move));

        illegal.Should().OnlyContain(move => !InstanceLifecycle.IsAllowed(move.from, move.to));
        illegal.Should().Contain((Configuring, Provisioning)).And.Contain((Stopping, Provisioning)).And.Contain((Terminated, Stopping)).And.Contain((Ready, Ready));
    }

    [Theory]
    [InlineData(Terminated, true)]
    [InlineData(Failed, true)]
    [InlineData(Provisioning, false)]
    [InlineData(Stopping, false)]
    public void IsFinal_OnlyTerminatedAndFailed(InstanceStatus status, bool final) =>
        InstanceLifecycle.IsFinal(status).Should().Be(final);
}
