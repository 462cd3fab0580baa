using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Provisioner.Core.Budgets;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Costs;

/// <summary>Budgets, enforced in the create's transaction and announced as the month is spent, on a manual clock.</summary>
public sealed class BudgetTests
{
    private const string Owner = LifecycleHarness.Tenant;

    // sim.gpu.small is 0.45 USD/h in the catalog; the harness's creates run 60 minutes at most.
    private static InstanceSpec Spec(int minutes = 60) => new("user-1", null, null, CloudProviderName.Simulated, "sim.gpu.small", "sim-local-1", 50, minutes,
        new Dictionary<string, string>());

    [Fact]
    public async Task Create_OverThePerInstanceCap_IsRefusedWithTheFigures_AndWritesNothing()
    {
        await using var harness = await LifecycleHarness.CreateAsync("budget-cap");
        var price = await PriceAsync(harness);
        await harness.Get<BudgetCommands>().SetAsync(Owner, monthlyLimit: null, perInstanceCap: price * 0.5m, CancellationToken.None);

        var act = () => harness.Commands.CreateAsync(Owner, Spec(60), "key-1", CancellationToken.None);

        var refusal = (await act.Should().ThrowAsync<BudgetExceededException>()).Which.Refusal;
        refusal.Should().BeEquivalentTo(new { WorstCase = price, PerInstanceCap = price * 0.5m, OverCap = true });
        await ShouldHoldNothingAsync(harness);
        (await harness.Commands.CreateAsync(Owner, Spec(25), null, CancellationToken.None)).Instance.Status
            .Should().Be(InstanceStatus.Provisioning, "25 minutes' worst case is within the cap");
    }

    [Fact]
    public async Task Create_OverWhatIsLeftOfTheMonth_IsRefused_CountingRunningInstancesAtTheirWorstCase()
    {
        await using var harness = await LifecycleHarness.CreateAsync("budget-month");
        var price = await PriceAsync(harness);
        await harness.Get<BudgetCommands>().SetAsync(Owner, monthlyLimit: price * 2.5m, perInstanceCap: null, CancellationToken.None);
        var first = await harness.Commands.CreateAsync(Owner, Spec(60), null, CancellationToken.None);
        await harness.BringUpAsync(first.Instance.Id);
        await harness.Commands.CreateAsync(Owner, Spec(60), null, CancellationToken.None);

        var act = () => harness.Commands.CreateAsync(Owner, Spec(60), null, CancellationToken.None);

        var refusal = (await act.Should().ThrowAsync<BudgetExceededException>()).Which.Refusal;
        refusal.MonthlyLimit.Should().Be(price * 2.5m);
        refusal.Committed.Should().Be(price * 2, "two instances that may each run their full hour are reserved at that");
        refusal.Remaining.Should().Be(price * 0.5m);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(2, "the refused one wrote nothing");
        (await harness.Commands.CreateAsync(Owner, Spec(30), null, CancellationToken.None)).Instance.Should().NotBeNull("half an hour fits what is left");
    }

    [Fact]
    public async Task Month_Crossing80And100Percent_IsAnnouncedOnceEach_WithAWebhook_AndStopsRunningInstancesWhenSoSet()
    {
        await using var harness = await LifecycleHarness.CreateAsync("budget-thresholds");
        var price = await PriceAsync(harness);
        var instance = await harness.CreateAsync(autoTerminateMinutes: 120);
        await harness.BringUpAsync(instance.Id);
        await harness.Get<BudgetCommands>().SetAsync(Owner, monthlyLimit: price, perInstanceCap: null, CancellationToken.None);
        await harness.Get<TenantWebhookCommands>().SetTargetAsync(Owner, "https://hooks.example.com/budget", null, CancellationToken.None);
        var sut = Watch(harness, BudgetExhaustion.TerminateRunning);

        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        (await sut.CheckAsync(CancellationToken.None)).Should().BeEmpty("half the month's budget is spent");
        harness.Clock.Advance(TimeSpan.FromMinutes(20));
        (await sut.CheckAsync(CancellationToken.None)).Select(e => e.Percent).Should().Equal(80);
        (await sut.CheckAsync(CancellationToken.None)).Should().BeEmpty("each threshold is announced once");
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Ready, "80% stops nothing");

        harness.Clock.Advance(TimeSpan.FromMinutes(11));
        var exhausted = await sut.CheckAsync(CancellationToken.None);

        exhausted.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Percent = 100, Action = "running instances stopped; new ones refused" });
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Stopping);
        (await harness.IsScheduledAsync(Provisioner.Core.Instances.InstanceWorkKind.Terminate, instance.Id)).Should().BeTrue();
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EventType == BudgetWatch.EventType).OrderBy(d => d.CreatedAt).ToListAsync();
        deliveries.Select(d => d.Payload).Should().SatisfyRespectively(
            p => p.Should().Contain("\"percent\":80"),
            p => p.Should().Contain("\"percent\":100"));
        (await sut.CheckAsync(CancellationToken.None)).Should().BeEmpty();
        var status = await harness.Get<BudgetCommands>().StatusAsync(Owner, CancellationToken.None);
        status!.Events.Select(e => e.Percent).Should().Equal(80, 100);
    }

    [Fact]
    public async Task Month_Exhausted_WithRefuseNew_LeavesRunningInstancesAlone()
    {
        await using var harness = await LifecycleHarness.CreateAsync("budget-refuse-new");
        var price = await PriceAsync(harness);
        var instance = await harness.CreateAsync(autoTerminateMinutes: 120);
        await harness.BringUpAsync(instance.Id);
        await harness.Get<BudgetCommands>().SetAsync(Owner, monthlyLimit: price * 0.5m, perInstanceCap: null, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromMinutes(40));

        var events = await Watch(harness, BudgetExhaustion.RefuseNew).CheckAsync(CancellationToken.None);

        events.Select(e => e.Percent).Should().Equal(80, 100);
        events[^1].Action.Should().Be("new instances refused");
        (await harness.ReloadAsync(instance.Id)).Status.Should().Be(InstanceStatus.Ready);
        var act = () => harness.Commands.CreateAsync(Owner, Spec(5), null, CancellationToken.None);
        await act.Should().ThrowAsync<BudgetExceededException>();
    }

    private static BudgetWatch Watch(LifecycleHarness harness, BudgetExhaustion onExhausted) => new(
        harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Get<NpgsqlDataSource>(), harness.Commands, harness.Get<WebhookOutbox>(),
        Microsoft.Extensions.Options.Options.Create(new BudgetOptions { OnExhausted = onExhausted == BudgetExhaustion.TerminateRunning ? "terminate-running" : "refuse-new" }), harness.Clock, NullLogger<BudgetWatch>.Instance);

    private static Task<decimal> PriceAsync(LifecycleHarness harness)
    {
        harness.Get<Provisioner.Core.Catalog.InstanceTypeCatalog>().TryFind(CloudProviderName.Simulated, "sim.gpu.small", out var offer).Should().BeTrue();
        return Task.FromResult(offer.PricePerHour);
    }

    private static async Task ShouldHoldNothingAsync(LifecycleHarness harness)
    {
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work")).Should().Be(0, "nothing is launched");
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.idempotency_keys")).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM simulated_cloud.machines")).Should().Be(0);
    }
}
