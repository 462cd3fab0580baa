using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>The simulated cloud keeps the rules real clouds keep; time is driven by a manual clock.</summary>
public sealed class SimulatedCloudProviderTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private readonly FixedOptionsMonitor<SimulatedCloudOptions> _options = new(new SimulatedCloudOptions
    {
        BootTime = TimeSpan.FromSeconds(5),
        ConfigureTime = TimeSpan.FromSeconds(10),
        ShutdownTime = TimeSpan.FromSeconds(2),
    });

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("simcloud");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Launch_ThenTime_MovesMachineFromPendingToRunning()
    {
        var sut = Provider();
        var launched = await sut.LaunchAsync(Spec(), CancellationToken.None);

        launched.State.Should().Be(CloudMachineState.Pending);
        launched.PublicIp.Should().BeNull("a pending machine has no address yet");
        launched.LaunchedAt.Should().Be(_clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromSeconds(5));
        var booting = await sut.DescribeAsync("sim-local-1", launched.CloudInstanceId, CancellationToken.None);
        booting!.State.Should().Be(CloudMachineState.Initializing);
        booting.PublicIp.Should().NotBeNull();

        _clock.Advance(TimeSpan.FromSeconds(10));
        (await sut.DescribeAsync("sim-local-1", launched.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.Running);
    }

    [Fact]
    public async Task Launch_SameTokenTwice_ReturnsTheSameMachine()
    {
        var sut = Provider();
        var spec = Spec();

        var first = await sut.LaunchAsync(spec, CancellationToken.None);
        var second = await sut.LaunchAsync(spec, CancellationToken.None);

        second.CloudInstanceId.Should().Be(first.CloudInstanceId);
        (await _database.ScalarAsync<long>("SELECT count(*) FROM simulated_cloud.machines")).Should().Be(1);
    }

    [Fact]
    public async Task Launch_SameTokenOtherSpec_IsRejectedAsInvalid()
    {
        var sut = Provider();
        var spec = Spec();
        await sut.LaunchAsync(spec, CancellationToken.None);

        var act = () => sut.LaunchAsync(spec with { InstanceType = "sim.gpu.large" }, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.InvalidRequest);
        error.CloudCode.Should().Be("IdempotentParameterMismatch");
        error.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public async Task Launch_BeyondCapacity_FailsAsInsufficientCapacityUntilAMachineIsGone()
    {
        _options.CurrentValue.CapacityPerTypeAndRegion = 1;
        var sut = Provider();
        var first = await sut.LaunchAsync(Spec(), CancellationToken.None);

        var act = () => sut.LaunchAsync(Spec(), CancellationToken.None);
        (await act.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.InsufficientCapacity);
        (await sut.LaunchAsync(Spec() with { Region = "sim-local-2" }, CancellationToken.None)).Should().NotBeNull("capacity is per region");

        await sut.TerminateAsync("sim-local-1", first.CloudInstanceId, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await sut.LaunchAsync(Spec(), CancellationToken.None)).State.Should().Be(CloudMachineState.Pending);
    }

    [Fact]
    public async Task Terminate_MovesThroughShuttingDownToTerminated_AndRepeatsHarmlessly()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);

        await sut.TerminateAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None);
        (await sut.DescribeAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.ShuttingDown);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await sut.TerminateAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await sut.DescribeAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.Terminated,
            "a repeated terminate does not restart the shutdown");

        _clock.Advance(TimeSpan.FromHours(2));
        (await sut.DescribeAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None)).Should().BeNull("terminated machines are forgotten after a while");
    }

    [Fact]
    public async Task Machines_AreKnownOnlyInTheirOwnRegion()
    {
        var sut = Provider();
        var machine = await sut.LaunchAsync(Spec(), CancellationToken.None);

        (await sut.DescribeAsync("sim-local-2", machine.CloudInstanceId, CancellationToken.None)).Should().BeNull();
        (await sut.FindByInstanceAsync("sim-local-2", machine.OwnerInstanceId!.Value, CancellationToken.None)).Should().BeNull();
        var act = () => sut.TerminateAsync("sim-local-2", machine.CloudInstanceId, CancellationToken.None);
        (await act.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.NotFound);
        (await sut.DescribeAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.Pending);
    }

    [Fact]
    public async Task Terminate_UnknownMachine_IsNotFound()
    {
        var act = () => Provider().TerminateAsync("sim-local-1", "sim-ffffffffffff", CancellationToken.None);

        (await act.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.NotFound);
    }

    [Fact]
    public async Task ListOwnedAndFind_SeeOnlyThisClustersLiveMachinesByTheirTags()
    {
        var ours = Provider("blue");
        var theirs = Provider("green");
        var live = await ours.LaunchAsync(Spec(), CancellationToken.None);
        var stopped = await ours.LaunchAsync(Spec(), CancellationToken.None);
        var foreign = await theirs.LaunchAsync(Spec(), CancellationToken.None);
        await ours.TerminateAsync("sim-local-1", stopped.CloudInstanceId, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(3));

        var listed = await ours.ListOwnedAsync(CancellationToken.None);

        listed.Select(m => m.CloudInstanceId).Should().Equal(live.CloudInstanceId);
        listed[0].OwnerInstanceId.Should().Be(live.OwnerInstanceId);
        (await ours.FindByInstanceAsync("sim-local-1", live.OwnerInstanceId!.Value, CancellationToken.None))!.CloudInstanceId.Should().Be(live.CloudInstanceId);
        (await ours.FindByInstanceAsync("sim-local-1", foreign.OwnerInstanceId!.Value, CancellationToken.None)).Should().BeNull("another cluster's machine is not ours");
    }

    [Fact]
    public async Task Calls_WithErrorRateOne_FailTransiently()
    {
        _options.CurrentValue.ErrorRate = 1.0;

        var act = () => Provider().LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.Transient);
        error.IsRetryable.Should().BeTrue();
        (await _database.ScalarAsync<long>("SELECT count(*) FROM simulated_cloud.machines")).Should().Be(0);
    }

    private SimulatedCloudProvider Provider(string cluster = "test") =>
        new(_database.DataSource, _options, Options.Create(new ProvisionerOptions { ClusterName = cluster }), _clock);

    private LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant-a", "sim.gpu.small", "sim-local-1", 50,
            new Dictionary<string, string> { ["team"] = "vision" }, _clock.GetUtcNow().AddHours(1));
    }
}
