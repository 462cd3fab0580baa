using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

/// <summary>The machine watch's batch read: each machine's state, stop time and health, in the cloud's words.</summary>
public abstract partial class CloudProviderContract
{
    /// <summary>The cloud's health checks fail for the machine from now on (still running); returns words its report carries.</summary>
    protected abstract Task<string> ImpairAsync(string cloudInstanceId);

    /// <summary>The machine is stopped outside the provisioner (a console); returns the stop time the cloud reports.</summary>
    protected abstract Task<DateTimeOffset> StopOutsideAsync(string cloudInstanceId);

    [Fact]
    public async Task ReadStates_AnswersEachMachineAskedFor_AndOmitsWhatTheCloudDoesNotHold()
    {
        var sut = Provider();
        var running = await sut.LaunchAsync(Spec(), CancellationToken.None);
        var ending = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await PassAsync(BootTime + ChecksTime);
        await sut.TerminateAsync(Region, ending.CloudInstanceId, CancellationToken.None);

        var states = await sut.ReadStatesAsync(Region, [running.CloudInstanceId, ending.CloudInstanceId, UnknownMachineId], CancellationToken.None);

        var ok = states.Should().ContainSingle(s => s.CloudInstanceId == running.CloudInstanceId).Which;
        (ok.State, ok.Health, ok.StoppedAt, ok.Failure).Should().Be((CloudMachineState.Running, CloudMachineHealth.Ok, (DateTimeOffset?)null, (CloudMachineFailure?)null));
        states.Where(s => s.CloudInstanceId == ending.CloudInstanceId).Should().AllSatisfy(
            s => s.State.Should().BeOneOf(CloudMachineState.ShuttingDown, CloudMachineState.Terminated), "ours, being deleted");
        states.Select(s => s.CloudInstanceId).Should().NotContain(UnknownMachineId, "the cloud holds no such machine")
            .And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task ReadStates_NoMachines_AnswersNone()
    {
        var states = await Provider().ReadStatesAsync(Region, [], CancellationToken.None);

        states.Should().BeEmpty();
    }

    [Fact]
    public async Task ReadStates_AnImpairedMachine_IsImpairedInTheCloudsWords_AndStillRunning()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await PassAsync(BootTime + ChecksTime);
        var words = await ImpairAsync(machine.CloudInstanceId);

        var state = (await sut.ReadStatesAsync(Region, [machine.CloudInstanceId], CancellationToken.None)).Should().ContainSingle().Which;

        state.Health.Should().Be(CloudMachineHealth.Impaired);
        state.HealthDetail.Should().Contain(words);
        state.State.Should().NotBe(CloudMachineState.Terminated, "an impaired machine still runs, and is billed");
    }

    [Fact]
    public async Task ReadStates_AMachineStoppedOutside_CarriesTheCloudsStopTime()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await PassAsync(BootTime + ChecksTime);
        var stoppedAt = await StopOutsideAsync(machine.CloudInstanceId);
        await PassAsync(ShutdownTime);

        var state = (await sut.ReadStatesAsync(Region, [machine.CloudInstanceId], CancellationToken.None)).Should().ContainSingle().Which;

        state.State.Should().BeOneOf(CloudMachineState.ShuttingDown, CloudMachineState.Failed);
        state.StoppedAt.Should().BeCloseTo(stoppedAt, TimeSpan.FromSeconds(1), "the cloud's stop time, to its own precision");
    }
}
