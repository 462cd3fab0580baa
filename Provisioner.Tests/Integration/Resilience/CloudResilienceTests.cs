using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;
using Provisioner.Worker.Jobs;
using Provisioner.Core.Providers;
using Provisioner.Tests.Fakes;
using Provisioner.Tests.Support;
using Provisioner.Worker.Resilience;
using Provisioner.Hosting.Health;

namespace Provisioner.Tests.Integration.Resilience;

/// <summary>
/// The resilience layer in front of a cloud, on the real clock with millisecond settings: what it retries,
/// how it spaces and limits calls, and how its circuit opens, half-opens and closes. Every count is of calls
/// that really reached the cloud.
/// </summary>
public sealed class CloudResilienceTests : IAsyncLifetime
{
    private readonly ScriptedCloudProvider _cloud = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync("resilience");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Throttled_WithRetryAfter_WaitsThatLongBetweenCalls()
    {
        var retryAfter = TimeSpan.FromMilliseconds(300);
        _cloud.Answer = call => call <= 2 ? ScriptedCloudProvider.Error(CloudErrorKind.Throttled, "RequestLimitExceeded", retryAfter) : null;
        await using var pipelines = Pipelines(o => o.MaxRetryAttempts = 3);

        var machine = await Sut(pipelines).LaunchAsync(Spec(), CancellationToken.None);

        machine.Should().NotBeNull();
        _cloud.LaunchCalls.Should().Be(3);
        var starts = _cloud.LaunchStarts;
        (starts[1] - starts[0]).Should().BeGreaterThanOrEqualTo(retryAfter - TimeSpan.FromMilliseconds(15));
        (starts[2] - starts[1]).Should().BeGreaterThanOrEqualTo(retryAfter - TimeSpan.FromMilliseconds(15));
    }

    [Fact]
    public async Task Throttled_WithALongRetryAfter_SurfacesAtOnceForTheJobToRerunLater()
    {
        _cloud.Answer = _ => ScriptedCloudProvider.Error(CloudErrorKind.Throttled, "RequestLimitExceeded", TimeSpan.FromSeconds(40));
        await using var pipelines = Pipelines(o => o.MaxRetryAttempts = 3);
        var clock = Stopwatch.StartNew();

        var act = () => Sut(pipelines).LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.AskedToWait.Should().Be(TimeSpan.FromSeconds(40));
        _cloud.LaunchCalls.Should().Be(1, "a 40 s wait is not taken in place");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(CloudErrorKind.InvalidRequest, "InvalidParameterValue")]
    [InlineData(CloudErrorKind.InsufficientCapacity, "InsufficientInstanceCapacity")]
    [InlineData(CloudErrorKind.QuotaExceeded, "VcpuLimitExceeded")]
    [InlineData(CloudErrorKind.Unauthorized, "UnauthorizedOperation")]
    public async Task NonRetryableErrors_AreNotRetriedAndKeepTheirClass(CloudErrorKind kind, string code)
    {
        _cloud.Answer = _ => ScriptedCloudProvider.Error(kind, code);
        await using var pipelines = Pipelines(o => o.MaxRetryAttempts = 5);

        var act = () => Sut(pipelines).LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(kind);
        error.CloudCode.Should().Be(code);
        _cloud.LaunchCalls.Should().Be(1);
    }

    [Fact]
    public async Task Transient_IsRetriedWithBackoffThenSurfaces()
    {
        _cloud.Answer = _ => ScriptedCloudProvider.Error(CloudErrorKind.Transient, "InternalError");
        await using var pipelines = Pipelines(o =>
        {
            o.MaxRetryAttempts = 2;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        });

        var act = () => Sut(pipelines).LaunchAsync(Spec(), CancellationToken.None);

        (await act.Should().ThrowAsync<CloudProviderException>()).Which.Kind.Should().Be(CloudErrorKind.Transient);
        _cloud.LaunchCalls.Should().Be(3);
    }

    [Fact]
    public async Task SlowCall_TimesOutPerAttemptAsTransient()
    {
        _cloud.Latency = TimeSpan.FromSeconds(5);
        await using var pipelines = Pipelines(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(100);
            o.MaxRetryAttempts = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        });

        var act = () => Sut(pipelines).LaunchAsync(Spec(), CancellationToken.None);

        var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
        error.Kind.Should().Be(CloudErrorKind.Transient);
        error.CloudCode.Should().Be("Timeout");
        _cloud.LaunchCalls.Should().Be(2);
    }

    [Fact]
    public async Task Burst_IsHeldToTheConcurrencyLimit()
    {
        _cloud.Latency = TimeSpan.FromMilliseconds(40);
        await using var pipelines = Pipelines(o =>
        {
            o.MaxConcurrentCalls = 4;
            o.CallsPerSecond = null;
        });
        var sut = Sut(pipelines);

        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => sut.LaunchAsync(Spec(), CancellationToken.None))));

        _cloud.LaunchCalls.Should().Be(60, "every call is held, none is dropped");
        _cloud.MaxInFlight.Should().Be(4);
    }

    [Fact]
    public async Task Burst_IsHeldToTheCallRate()
    {
        await using var pipelines = Pipelines(o =>
        {
            o.CallsPerSecond = 10;
            o.MaxConcurrentCalls = 100;
        });
        var sut = Sut(pipelines);
        var started = TimeProvider.System.GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => Task.Run(() => sut.LaunchAsync(Spec(), CancellationToken.None))));

        _cloud.LaunchCalls.Should().Be(25);
        _cloud.LaunchStarts.Count(s => s - started < TimeSpan.FromMilliseconds(900)).Should().BeLessThanOrEqualTo(10);
        (_cloud.LaunchStarts.Max() - started).Should().BeGreaterThan(TimeSpan.FromSeconds(1.5), "25 calls at 10 per second take over two seconds");
    }

    [Fact]
    public async Task RepeatedFailures_OpenTheCircuit_ThenItHalfOpensAndCloses_AndEveryoneCanSee()
    {
        var failing = true;
        _cloud.Answer = _ => failing ? ScriptedCloudProvider.Error(CloudErrorKind.Transient, "Unavailable") : null;
        var breakDuration = TimeSpan.FromMilliseconds(700);
        // The circuit's clock is driven: on the real one, a loaded machine could spend the whole break between the
        // fourth failure and the refused call (each records the circuit in the database), and the refused call would
        // find the circuit half-open already.
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        await using var pipelines = Pipelines(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitMinimumThroughput = 4;
            o.CircuitFailureRatio = 0.5;
            o.CircuitBreakDuration = breakDuration;
        }, record: true, clock);
        var sut = Sut(pipelines);
        var health = new ProviderCircuitsHealthCheck(_database.CreateDbContextFactory(), clock);

        for (var i = 0; i < 4; i++)
        {
            var failed = () => sut.LaunchAsync(Spec(), CancellationToken.None);
            (await failed.Should().ThrowAsync<CloudProviderException>()).Which.CloudCode.Should().Be("Unavailable");
        }

        var refused = () => sut.LaunchAsync(Spec(), CancellationToken.None);
        var open = (await refused.Should().ThrowAsync<CloudProviderException>()).Which;
        open.CloudCode.Should().Be("CircuitOpen");
        open.AskedToWait.Should().NotBeNull().And.BeLessThanOrEqualTo(breakDuration);
        _cloud.LaunchCalls.Should().Be(4, "an open circuit does not call the cloud");
        (await CircuitStateAsync()).Should().Be(ProviderCircuit.Open);
        var degraded = await health.CheckHealthAsync(new HealthCheckContext());
        degraded.Status.Should().Be(HealthStatus.Degraded);
        degraded.Data.Keys.Should().ContainSingle().Which.Should().StartWith("PROGRAMMED/sim-local-1@");

        clock.Advance(breakDuration + TimeSpan.FromMilliseconds(100));
        failing = false;
        await sut.LaunchAsync(Spec(), CancellationToken.None);

        _cloud.LaunchCalls.Should().Be(5, "after the break one trial call goes through");
        (await CircuitStateAsync()).Should().Be(ProviderCircuit.Closed);
        (await health.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);
        await sut.LaunchAsync(Spec(), CancellationToken.None);
        _cloud.LaunchCalls.Should().Be(6);
    }

    [Fact]
    public async Task Circuits_AreSeparatePerRegion()
    {
        _cloud.Answer = _ => ScriptedCloudProvider.Error(CloudErrorKind.Transient, "Unavailable");
        await using var pipelines = Pipelines(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitMinimumThroughput = 2;
        });
        var sut = Sut(pipelines);
        for (var i = 0; i < 3; i++)
        {
            var call = () => sut.LaunchAsync(Spec(), CancellationToken.None);
            await call.Should().ThrowAsync<CloudProviderException>();
        }

        var otherRegion = () => sut.LaunchAsync(Spec() with { Region = "sim-local-2" }, CancellationToken.None);

        (await otherRegion.Should().ThrowAsync<CloudProviderException>()).Which.CloudCode.Should().Be("Unavailable", "that region's circuit is still closed");
    }

    private CloudResiliencePipelines Pipelines(Action<CloudResilienceOptions> configure, bool record = false, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var options = new CloudResilienceOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxInPlaceDelay = TimeSpan.FromSeconds(1),
            CallsPerSecond = null,
        };
        configure(options);
        var recorder = record
            ? new CloudCircuitRecorder(_database.CreateDbContextFactory(), Options.Create(new JobsOptions { NodeName = "test-node" }), clock,
                NullLogger<CloudCircuitRecorder>.Instance)
            : null;
        return new CloudResiliencePipelines(_ => options, recorder, clock);
    }

    private ResilientCloudProvider Sut(CloudResiliencePipelines pipelines) => new(_cloud, pipelines);

    private Task<string> CircuitStateAsync() =>
        _database.ScalarAsync<string>("SELECT state FROM provisioner.provider_circuits WHERE backend = 'PROGRAMMED' AND region = 'sim-local-1'");

    private static LaunchSpec Spec()
    {
        var id = Guid.NewGuid();
        return new LaunchSpec(id, LaunchTokens.For(id), "tenant", "sim.gpu.small", "sim-local-1", 50, new Dictionary<string, string>(),
            TimeProvider.System.GetUtcNow().AddHours(1));
    }
}
