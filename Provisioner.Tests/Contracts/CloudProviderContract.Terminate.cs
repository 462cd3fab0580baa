using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    [Fact]
    public async Task Terminate_MovesThroughShuttingDownToTerminated()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);

        await sut.TerminateAsync(Region, machine.CloudInstanceId, CancellationToken.None);
        (await sut.DescribeAsync(Region, machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.ShuttingDown);

        await PassAsync(ShutdownTime);
        var gone = await sut.DescribeAsync(Region, machine.CloudInstanceId, CancellationToken.None);
        (gone is null || gone.State == CloudMachineState.Terminated).Should().BeTrue("the machine is gone");
        gone?.Failure.Should().BeNull("we ended it: that is no failure");
    }

    [Fact]
    public async Task Terminate_AMachineAlreadyGone_IsSuccess()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await sut.TerminateAsync(Region, machine.CloudInstanceId, CancellationToken.None);
        await PassAsync(ShutdownTime);

        var again = () => sut.TerminateAsync(Region, machine.CloudInstanceId, CancellationToken.None);

        await again.Should().NotThrowAsync();
    }

    [Fact]
    public async Task Terminate_AnUnknownMachine_IsSuccess()
    {
        var act = () => Provider().TerminateAsync(Region, UnknownMachineId, CancellationToken.None);

        await act.Should().NotThrowAsync();
    }
}
