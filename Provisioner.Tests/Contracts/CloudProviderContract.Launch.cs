using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    [Fact]
    public async Task Launch_SameTokenTwice_ReturnsTheSameMachine_AndStartsNoSecond()
    {
        var sut = Provider();
        var spec = Spec();

        var first = await sut.LaunchAsync(spec, CancellationToken.None);
        var again = await sut.LaunchAsync(spec, CancellationToken.None);

        again.CloudInstanceId.Should().Be(first.CloudInstanceId);
        first.OwnerInstanceId.Should().Be(spec.InstanceId, "the machine carries our instance id as a tag");
        (await ListAllAsync(sut)).Should().ContainSingle(m => m.OwnerInstanceId == spec.InstanceId);
    }

    [Fact]
    public async Task Launch_SameTokenOtherSpec_IsInvalid()
    {
        var sut = Provider();
        var spec = Spec();
        await sut.LaunchAsync(spec, CancellationToken.None);

        var act = () => sut.LaunchAsync(spec with { InstanceType = OtherInstanceType }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.InvalidRequest);
        error.CloudCode.Should().Be("IdempotentParameterMismatch");
        error.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public async Task Launch_ThenTime_IsPendingThenInitializingThenRunningOnlyOnceItsChecksPass()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        machine.State.Should().Be(CloudMachineState.Pending);

        await PassAsync(BootTime);
        var booted = await sut.DescribeAsync(Region, machine.CloudInstanceId, CancellationToken.None);
        booted!.State.Should().Be(CloudMachineState.Initializing, "running is not ready until the cloud's checks pass");
        booted.PublicIp.Should().NotBeNull();

        await PassAsync(ChecksTime);
        (await sut.DescribeAsync(Region, machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.Running);
    }

    [Fact]
    public async Task Launch_TheCloudGivesUpLater_IsFailedWithTheCloudsClassifiedReason()
    {
        var sut = Provider();

        var (machine, code) = await LaunchOneTheCloudGivesUpOnAsync(sut);

        var seen = await sut.DescribeAsync(Region, machine.CloudInstanceId, CancellationToken.None);
        seen!.State.Should().Be(CloudMachineState.Failed);
        seen.Failure!.Kind.Should().Be(CloudErrorKind.InsufficientCapacity);
        seen.Failure.CloudCode.Should().Be(code);
        seen.Failure.Provider.Should().Be(sut.Name);
        seen.Failure.ToFailureReason().Should().StartWith($"InsufficientCapacity: {sut.Name} returned {code}: ");
        await sut.TerminateAsync(Region, machine.CloudInstanceId, CancellationToken.None);
    }
}
