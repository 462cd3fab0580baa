using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;
using Provisioner.Core.Providers;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Lifecycle;

/// <summary>A failure injected at each step between a request and its machine leaves no request stuck and no machine leaked.</summary>
public sealed class CrashPointTests
{
    [Fact]
    public async Task Create_WhenSchedulingTheJobFails_LeavesNoRecordBehind()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-enqueue");
        var sut = new InstanceCommands(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), new CrashingQueue(), harness.Get<WebhookOutbox>(),
            harness.Get<InstanceUpdater>(), harness.Get<InstanceTypeCatalog>(), harness.Get<Provisioner.Core.Billing.BillingRules>(), harness.Clock);
        // With a webhook for every event: the creation's event and the tenant's first secret belong to the same transaction.
        var spec = new InstanceSpec("user-1", null, null, CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50, 60,
            new Dictionary<string, string>(), WebhookUrl: "https://hooks.example.com/in", WebhookEvents: [WebhookEventTypes.All]);

        var act = () => sut.CreateAsync(LifecycleHarness.Tenant, spec, "key-1", CancellationToken.None);

        await act.Should().ThrowAsync<IOException>();
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.webhook_deliveries")).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.tenant_webhooks")).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.idempotency_keys")).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work")).Should().Be(0);
    }

    [Fact]
    public async Task Launch_AnswerLostAfterTheCloudActed_RetryRecordsTheSameSingleMachine()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-lost-answer");
        var instance = await harness.CreateAsync();
        harness.Cloud.LoseLaunchAnswers = 1;

        (await harness.LaunchAsync(instance.Id)).IsRetry.Should().BeTrue("a lost answer is transient: the step asks to run again");
        (await harness.ReloadAsync(instance.Id)).CloudInstanceId.Should().BeNull();

        await harness.LaunchAsync(instance.Id);

        var recorded = await harness.ReloadAsync(instance.Id);
        recorded.CloudInstanceId.Should().NotBeNull();
        harness.Cloud.LaunchCalls.Should().Be(2);
        (await harness.MachinesForAsync(instance.Id)).Should().Be(1, "the launch token made the second call return the first machine");
        (await harness.IsScheduledAsync(InstanceWorkKind.AwaitReady, instance.Id)).Should().BeTrue();
    }

    [Fact]
    public async Task Launch_AnswerLostOnTheLastAttempt_FailsTheInstanceAndReleasesTheMachine()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-last-attempt");
        var instance = await harness.CreateAsync();
        harness.Cloud.LoseLaunchAnswers = 1;

        await harness.LaunchAsync(instance.Id, finalAttempt: true);

        var failed = await harness.ReloadAsync(instance.Id);
        failed.Status.Should().Be(InstanceStatus.Failed);
        failed.FailureReason.Should().Be("Transient: SIMULATED returned RequestTimeout: the answer was lost (scripted)");
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue();

        await harness.TerminateAsync(instance.Id);

        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0, "the machine the lost answer left behind was found by its tag and stopped");
        (await harness.ReloadAsync(instance.Id)).CloudInstanceId.Should().NotBeNull();
    }

    [Fact]
    public async Task CrashAfterIntent_BeforeTheCloudCall_DeleteEndsTerminatedOnceTheGraceHasPassed()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-after-intent");
        var instance = await harness.CreateAsync();
        await harness.Get<InstanceUpdater>().UpdateAsync(instance.Id, (i, now, _) =>
        {
            i.MarkLaunchRequested("SIMULATED", now);
            return true;
        }, CancellationToken.None);

        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        await harness.TerminateAsync(instance.Id);
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping, "a launch a moment ago may not be listed yet");
        (await harness.IsScheduledAsync(InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue();

        harness.Clock.Advance(harness.Options.NotFoundGracePeriod + TimeSpan.FromSeconds(1));
        await harness.TerminateAsync(instance.Id);

        var terminated = await harness.ReloadAsync(instance.Id);
        terminated.Status.Should().Be(InstanceStatus.Terminated);
        (await harness.EventsAsync(instance.Id))[^1].Cause.Should().Be("the cloud holds no machine for this instance");
        (await harness.MachinesForAsync(instance.Id)).Should().Be(0);
    }

    [Fact]
    public async Task CrashAfterTheCloudLaunched_BeforeRecording_DeleteFindsTheMachineByTagAndStopsIt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-before-record");
        var instance = await harness.CreateAsync();
        harness.Cloud.LoseLaunchAnswers = 1;
        (await harness.LaunchAsync(instance.Id)).IsRetry.Should().BeTrue("the answer was lost");

        await harness.Commands.RequestTerminationAsync(LifecycleHarness.Tenant, instance.Id, CancellationToken.None);
        await harness.TerminateAsync(instance.Id);
        (await harness.LiveMachinesForAsync(instance.Id)).Should().Be(0);

        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        await harness.TerminateAsync(instance.Id);

        var terminated = await harness.ReloadAsync(instance.Id);
        terminated.Status.Should().Be(InstanceStatus.Terminated);
        terminated.CloudInstanceId.Should().NotBeNull("the machine found by its tag is recorded");
        terminated.ReadyAt.Should().BeNull();
    }

    [Fact]
    public async Task JobLost_TheSweepSchedulesItAgain()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-lost-job");
        var instance = await harness.CreateAsync();
        await harness.UnscheduleAsync(InstanceWorkKind.Create, instance.Id);

        (await harness.SweepAsync()).Redriven.Should().Be(0, "a fresh instance is given time before the sweep steps in");
        harness.Clock.Advance(harness.Options.RedriveAfter + TimeSpan.FromSeconds(1));
        var report = await harness.SweepAsync();

        report.Redriven.Should().Be(1);
        (await harness.IsScheduledAsync(InstanceWorkKind.Create, instance.Id)).Should().BeTrue();
        await harness.BringUpAsync(instance.Id);
    }

    [Fact]
    public async Task DeadlineTriggerLost_TheSweepSchedulesItAgainAtTheDeadline()
    {
        await using var harness = await LifecycleHarness.CreateAsync("crash-lost-deadline");
        var instance = await harness.CreateAsync();
        await harness.BringUpAsync(instance.Id);
        await harness.UnscheduleAsync(InstanceWorkKind.AutoTerminate, instance.Id);
        harness.Clock.Advance(harness.Options.RedriveAfter + TimeSpan.FromSeconds(1));

        (await harness.SweepAsync()).Redriven.Should().Be(1);

        (await harness.ScheduledAtAsync(InstanceWorkKind.AutoTerminate, instance.Id)).Should().BeCloseTo(instance.AutoTerminateAt, TimeSpan.FromMilliseconds(1));
    }

    /// <summary>A job store that fails at the moment the job is written: the process dying there, as far as the transaction knows.</summary>
    private sealed class CrashingQueue : IInstanceWorkQueue
    {
        public Task ScheduleAndCommitAsync(DbTransaction transaction, IReadOnlyCollection<InstanceWork> work, CancellationToken cancellationToken) =>
            throw new IOException("connection lost while scheduling (injected)");

        public Task WithdrawAsync(DbTransaction transaction, Guid instanceId, IReadOnlyCollection<InstanceWorkKind> kinds, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
