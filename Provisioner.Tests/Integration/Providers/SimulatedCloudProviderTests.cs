using Microsoft.Extensions.Options;
using Provisioner.Core.ApiBudgets;
using Provisioner.Core.Hosting;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>
/// What only the simulated cloud does (the rules every adapter keeps are in <see cref="Contracts.SimulatedCloudContractTests"/>);
/// time is driven by a manual clock.
/// </summary>
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
    public async Task Launch_CapacitySetWhileRunning_AppliesToTheNextLaunchInEveryProcess()
    {
        _options.CurrentValue.Capacity["sim.gpu.small@sim-local-1"] = 5;
        var control = new SimulatedCloudControl(_database.DataSource);
        await control.SetCapacityAsync("sim.gpu.small", "sim-local-1", 1, CancellationToken.None);
        var sut = Provider();
        var other = Provider();
        await sut.LaunchAsync(Spec(), CancellationToken.None);

        var act = () => other.LaunchAsync(Spec(), CancellationToken.None);
        (await act.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.InsufficientCapacity,
            "the capacity set while running beats the setting of 5, for a second provider (another process) too");

        await control.SetCapacityAsync("sim.gpu.small", "sim-local-1", 2, CancellationToken.None);
        (await other.LaunchAsync(Spec(), CancellationToken.None)).Should().NotBeNull("capacity came back");
        await control.SetCapacityAsync("sim.gpu.small", "sim-local-1", null, CancellationToken.None);
        (await sut.LaunchAsync(Spec(), CancellationToken.None)).Should().NotBeNull("back to the setting of 5");
    }

    [Fact]
    public async Task Launch_ManyAtOnceAtALimit_NeverExceedsIt()
    {
        await new SimulatedCloudControl(_database.DataSource).SetCapacityAsync("sim.gpu.small", "sim-local-1", 3, CancellationToken.None);

        var launches = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Provider().LaunchAsync(Spec(), CancellationToken.None);
                return "launched";
            }
            catch (CloudProviderException e) when (e.Kind == CloudErrorKind.InsufficientCapacity)
            {
                return "no capacity";
            }
        })).ToList();
        var outcomes = await Task.WhenAll(launches).WaitAsync(TimeSpan.FromMinutes(1));

        outcomes.Count(o => o == "launched").Should().Be(3);
        outcomes.Count(o => o == "no capacity").Should().Be(9);
    }

    [Fact]
    public async Task Launch_OfAnOfferWithoutALimit_RunsBesideAnother_WhileOneThatCountsWaitsForIt()
    {
        // An unlimited launch of the offer still being written, as the provider holds it.
        await using var inFlight = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await inFlight.BeginTransactionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock_shared(hashtext('simulated-capacity:sim.gpu.small/sim-local-1'))", inFlight))
        {
            await hold.ExecuteNonQueryAsync();
        }

        (await Provider().LaunchAsync(Spec(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
            .Should().NotBeNull("launches of an offer without a limit do not wait for each other");

        _options.CurrentValue.CapacityPerTypeAndRegion = 5;
        var counting = Provider().LaunchAsync(Spec(), CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await _database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0)
        {
            counting.IsCompleted.Should().BeFalse("the launch that must count waits for the one still being written");
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the counting launch should be waiting for the offer's lock");
            await Task.Delay(20);
        }

        await transaction.CommitAsync();
        (await counting.WaitAsync(TimeSpan.FromSeconds(30))).Should().NotBeNull();
    }

    [Fact]
    public async Task Calls_BeyondAnActionsBucket_AreRefusedRequestLimitExceeded_UntilItRefills()
    {
        _options.CurrentValue.ApiLimits["RunInstances"] = ApiLimit.Of(2, 1);
        var sut = Provider();
        var first = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await sut.LaunchAsync(Spec(), CancellationToken.None);

        var act = () => sut.LaunchAsync(Spec(), CancellationToken.None);
        var refused = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        (refused.Kind, refused.CloudCode, refused.AskedToWait).Should().Be((CloudErrorKind.Throttled, "RequestLimitExceeded", (TimeSpan?)null));
        (await sut.DescribeAsync("sim-local-1", first.CloudInstanceId, CancellationToken.None)).Should().NotBeNull("Describe has a bucket of its own (none here)");

        _clock.Advance(TimeSpan.FromSeconds(1));
        (await sut.LaunchAsync(Spec(), CancellationToken.None)).Should().NotBeNull("one token refilled");
        (await new SimulatedCloudControl(_database.DataSource).ApiCallsAsync("RunInstances", CancellationToken.None)).Should().Be((3L, 1L));
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
        await sut.TerminateAsync("sim-local-2", machine.CloudInstanceId, CancellationToken.None);
        (await sut.DescribeAsync("sim-local-1", machine.CloudInstanceId, CancellationToken.None))!.State.Should().Be(CloudMachineState.Pending,
            "a terminate sent to another region does not reach it");
    }

    [Fact]
    public async Task Listing_ForgetsMachinesTerminatedLongAgo_SoTheTableDoesNotGrowForever()
    {
        var sut = Provider();
        var old = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await sut.TerminateAsync("sim-local-1", old.CloudInstanceId, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(2));
        var recent = await sut.LaunchAsync(Spec(), CancellationToken.None);
        await sut.TerminateAsync("sim-local-1", recent.CloudInstanceId, CancellationToken.None);

        await sut.ListOwnedAsync(null, CancellationToken.None);

        (await _database.ScalarAsync<long>($"SELECT count(*) FROM simulated_cloud.machines WHERE id = '{old.CloudInstanceId}'")).Should().Be(0);
        (await _database.ScalarAsync<long>($"SELECT count(*) FROM simulated_cloud.machines WHERE id = '{recent.CloudInstanceId}'")).Should().Be(1,
            "a machine terminated a moment ago still answers describe calls, as on EC2");
    }

    [Fact]
    public async Task TagLookups_UseTheirIndexes()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'simulated_cloud' AND tablename = 'machines'", connection);
        var definitions = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                definitions.Add(reader.GetString(0));
            }
        }

        definitions.Should().Contain(d => d.Contains("'provisioner:instance-id'", StringComparison.Ordinal))
            .And.Contain(d => d.Contains("'provisioner:cluster'", StringComparison.Ordinal));
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
