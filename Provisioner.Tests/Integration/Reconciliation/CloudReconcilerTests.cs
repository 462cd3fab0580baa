using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Core.Reconciliation;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Reconciliation;

/// <summary>The reconciler reads a large cloud page by page and does not stop at one machine it cannot act on.</summary>
public sealed class CloudReconcilerTests
{
    [Fact]
    public async Task Reconcile_AMachineThatWillNotTerminate_IsCountedAndTheRestAreStillTerminated()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-keeps-going");
        var orphans = new List<CloudMachine>();
        for (var i = 0; i < 3; i++)
        {
            orphans.Add(await LaunchOrphanAsync(harness));
        }

        harness.Clock.Advance(harness.Options.OrphanGracePeriod + TimeSpan.FromSeconds(1));
        harness.Cloud.FailNext.Enqueue(new CloudProviderException(CloudErrorKind.Unauthorized, "SIMULATED", "UnauthorizedOperation", "not allowed (scripted)"));

        var run = await harness.ReconcileAsync();

        run.OrphansTerminated.Should().Be(2, "one refusal does not end the run");
        run.Error.Should().StartWith("1 machine(s) skipped, retried next run; first: terminate ").And.Contain("UnauthorizedOperation");
        harness.Clock.Advance(harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue.ShutdownTime);
        var next = await harness.ReconcileAsync();
        next.OrphansTerminated.Should().Be(1, "the skipped one is tried again next run");
        next.Error.Should().BeNull();
    }

    [Fact]
    public async Task Reconcile_ALargeAccount_IsReadPageByPage()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-pages");
        harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue.ListPageSize = 2;
        for (var i = 0; i < 5; i++)
        {
            await LaunchOrphanAsync(harness);
        }

        harness.Clock.Advance(harness.Options.OrphanGracePeriod + TimeSpan.FromSeconds(1));

        var run = await harness.ReconcileAsync();

        run.MachinesSeen.Should().Be(5);
        run.OrphansTerminated.Should().Be(5);
    }

    [Fact]
    public async Task Reconcile_APageSlowerThanItsTimeout_EndsTheRunWithoutConcludingAnything()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-page-timeout");
        harness.Get<IOptions<ReconciliationOptions>>().Value.ListPageTimeout = TimeSpan.FromMilliseconds(300);
        harness.Cloud.ListPageDelay = TimeSpan.FromMinutes(5);
        var instance = await harness.CreateAsync();
        var ready = await harness.BringUpAsync(instance.Id);
        harness.Clock.Advance(harness.Options.NotFoundGracePeriod);

        var run = await harness.ReconcileAsync();

        run.Error.Should().StartWith("Transient: SIMULATED returned ListPageTimeout");
        (await harness.ReloadAsync(ready.Id)).Status.Should().Be(InstanceStatus.Ready, "a listing cut short says nothing about the machines");
    }

    [Fact]
    public async Task Reconcile_ALiveRecordWhoseMachineTheCloudGaveUpOn_IsFailedInTheCloudsWords()
    {
        await using var harness = await LifecycleHarness.CreateAsync("reconcile-failed-machine");
        var settings = harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue;
        settings.LateFailureRate = 1;
        var instance = await harness.CreateAsync();
        await harness.LaunchAsync(instance.Id);
        settings.LateFailureRate = 0;
        harness.Clock.Advance(harness.Options.NotFoundGracePeriod + settings.BootTime);

        var run = await harness.ReconcileAsync();

        run.RecordsClosed.Should().Be(1);
        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().StartWith("InsufficientCapacity: SIMULATED returned AllocationFailed: Allocation failed after the launch was accepted");
    }

    [Fact]
    public async Task AwaitReady_AMachineTheCloudGaveUpOn_FailsTheInstanceInTheCloudsWords()
    {
        await using var harness = await LifecycleHarness.CreateAsync("await-failed-machine");
        var settings = harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue;
        settings.LateFailureRate = 1;
        var instance = await harness.CreateAsync();
        await harness.LaunchAsync(instance.Id);
        settings.LateFailureRate = 0;
        harness.Clock.Advance(settings.BootTime);

        await harness.AwaitReadyAsync(instance.Id);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().StartWith("InsufficientCapacity: SIMULATED returned AllocationFailed: ");
    }

    private static Task<CloudMachine> LaunchOrphanAsync(LifecycleHarness harness)
    {
        var id = Guid.NewGuid();
        return harness.Cloud.LaunchAsync(new LaunchSpec(id, LaunchTokens.For(id), "nobody", "sim.gpu.small", "sim-local-1", 50,
            new Dictionary<string, string>(), harness.Clock.GetUtcNow().AddHours(1)), CancellationToken.None);
    }
}
