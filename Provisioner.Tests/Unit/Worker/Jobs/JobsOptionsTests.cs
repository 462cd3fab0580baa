using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Unit.Worker.Jobs;

public sealed class JobsOptionsTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 8)]
    [InlineData(64, 10)]
    public void DefaultWorkerCount_FollowsTheCores_WithinTwoToTen(int cores, int expected) =>
        JobsOptions.DefaultWorkerCount(cores).Should().Be(expected);

    [Fact]
    public void Defaults_WakeThreads_AndHandWorkOffWhenDue()
    {
        var sut = new JobsOptions();

        sut.WakeUp.Should().BeTrue();
        sut.RelayHorizon.Should().Be(TimeSpan.Zero, "a deadline is handed off at its time, not to the engine's schedule poll");
    }
}
