using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Api.Costs;
using Provisioner.Core.Billing;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Retention;
using Provisioner.Tests.Integration.Costs;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Retention;

/// <summary>Retention against a real PostgreSQL, on a history written as the workers would have, with a driven clock.</summary>
public sealed class InstanceRetentionTests
{
    private const string Owner = LifecycleHarness.Tenant;
    private static readonly DateTimeOffset Day = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_OnInstancesEndedLongerAgoThanTheSetting_ArchivesThemWithTheirRows_AndTheDailyReportIsUnchanged()
    {
        await using var harness = await LifecycleHarness.CreateAsync("retention-archive");
        var old = new[]
        {
            CostHistory.Launched(Owner, CloudProviderName.Azure, "Standard_NC6", 0.9m, Day.AddHours(1), Day.AddHours(2)),
            CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day.AddHours(5), Day.AddHours(7)),
        };
        var recent = CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day.AddDays(20), Day.AddDays(20).AddHours(1));
        await CostHistory.SaveAsync(harness, [.. old, recent]);
        harness.Clock.Set(Day.AddDays(40));
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
        var reports = new CostQueries(harness.Get<IDbContextFactory<ProvisionerDbContext>>(), harness.Get<InstanceTypeCatalog>(), harness.Clock);
        var before = await reports.DailyAsync(Owner, Day, Day.AddDays(40), CancellationToken.None);
        var eventsOfOld = await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instance_events WHERE instance_id = ANY($1)", old.Select(i => i.Id).ToArray());
        var sut = Create(harness, days: 30);

        var run = await sut.RunAsync(CancellationToken.None);

        run!.InstancesArchived.Should().Be(2, "the recent one ended 20 days ago, inside the 30 days");
        run.EndedBefore.Should().Be(Day.AddDays(10));
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE id = ANY($1)", old.Select(i => i.Id).ToArray())).Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE id = $1", recent.Id)).Should().Be(1);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instance_events WHERE instance_id = ANY($1)", old.Select(i => i.Id).ToArray()))
            .Should().Be(0, "events go with their instance");
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.launch_attempts WHERE instance_id = ANY($1)", old.Select(i => i.Id).ToArray()))
            .Should().Be(0);
        eventsOfOld.Should().BePositive();
        var record = JsonNode.Parse(await harness.Database.ScalarAsync<string>(
            "SELECT record::text FROM provisioner.archived_instances WHERE id = $1", old[0].Id))!;
        record["instance"]!["id"]!.GetValue<string>().Should().Be(old[0].Id.ToString());
        record["instance"]!["status"]!.GetValue<string>().Should().Be("TERMINATED");
        var archivedEvents = (await harness.Database.ScalarAsync<long>(
            "SELECT sum(jsonb_array_length(record->'events')) FROM provisioner.archived_instances WHERE id = ANY($1)", old.Select(i => i.Id).ToArray()));
        archivedEvents.Should().Be(eventsOfOld, "every event is in the archive");
        var after = await reports.DailyAsync(Owner, Day, Day.AddDays(40), CancellationToken.None);
        after.Days.Should().Equal(before.Days, "the rollups are not keyed by instance and are left as they were");
        after.Total.Should().Be(before.Total).And.BePositive();
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.retention_runs WHERE instances_archived = 2 AND finished_at IS NOT NULL"))
            .Should().Be(1, "each run is recorded");
    }

    [Fact]
    public async Task Run_NeverTakesALiveInstance_OneStillBilling_OrOneWithWorkOrAWebhookPending()
    {
        await using var harness = await LifecycleHarness.CreateAsync("retention-safe");
        var live = CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day, stopAt: null);
        var unsettled = CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day, Day.AddHours(1));
        var withWork = CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day, Day.AddHours(1));
        var withWebhook = CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day, Day.AddHours(1));
        await CostHistory.SaveAsync(harness, [live, unsettled, withWork, withWebhook]);
        harness.Clock.Set(Day.AddDays(60));
        // The rollup folds everything but one, as if that one had ended after the rollup's last run.
        await harness.Database.ExecuteAsync("UPDATE provisioner.instances SET cost_settled = true WHERE id = ANY($1)", new[] { withWork.Id, withWebhook.Id });
        await harness.Database.ExecuteAsync("""
            INSERT INTO provisioner.pending_work (instance_id, kind, run_at, ticket, attempt, updated_at)
            VALUES ($1, 'terminate', $2, gen_random_uuid(), 1, $2)
            """, withWork.Id, Day.AddDays(60));
        await harness.Database.ExecuteAsync("""
            INSERT INTO provisioner.webhook_deliveries (id, owner, instance_id, event_type, url, payload, status, attempts, attempt_limit, next_attempt_at, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, $2, 'instance.terminated', 'http://127.0.0.1:9/hook', '{}', 'PENDING', 0, 5, $3, $3, $3)
            """, Owner, withWebhook.Id, Day.AddDays(60));
        var sut = Create(harness, days: 30);

        var run = await sut.RunAsync(CancellationToken.None);

        run!.InstancesArchived.Should().Be(0);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(4);

        // Once the rollup has folded the ended one in for good, it is due; the live one never is.
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
        (await sut.RunAsync(CancellationToken.None))!.InstancesArchived.Should().Be(1);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.archived_instances WHERE id = $1", unsettled.Id)).Should().Be(1);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE id = $1", live.Id)).Should().Be(1);
    }

    [Fact]
    public async Task Run_OnAnInstanceOfThisMonth_EndedOverTheDaysAgo_KeepsItUntilTheMonthIsOver_SoTheBudgetStillCountsIt()
    {
        await using var harness = await LifecycleHarness.CreateAsync("retention-month");
        var monthStart = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var early = CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, monthStart.AddMinutes(10), monthStart.AddMinutes(40));
        await CostHistory.SaveAsync(harness, [early]);
        harness.Clock.Set(monthStart.AddDays(30).AddHours(23));
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);
        var sut = Create(harness, days: 30);

        var inMonth = await sut.RunAsync(CancellationToken.None);
        harness.Clock.Set(monthStart.AddMonths(1).AddMinutes(1));
        var nextMonth = await sut.RunAsync(CancellationToken.None);

        inMonth!.InstancesArchived.Should().Be(0, "it ended over 30 days ago but this month's budget still sums it from the instance rows");
        nextMonth!.InstancesArchived.Should().Be(1);
    }

    [Fact]
    public async Task Run_TwiceAtOnce_InSmallBatches_ArchivesEachInstanceExactlyOnce()
    {
        await using var harness = await LifecycleHarness.CreateAsync("retention-concurrent");
        var instances = Enumerable.Range(0, 60)
            .Select(n => CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day.AddMinutes(n), Day.AddMinutes(n + 30)))
            .ToArray();
        await CostHistory.SaveAsync(harness, instances);
        harness.Clock.Set(Day.AddDays(45));
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Create(harness, days: 30, batchSize: 10).RunAsync(CancellationToken.None))));
        var again = await Create(harness, days: 30, batchSize: 10).RunAsync(CancellationToken.None);

        runs.Sum(r => r!.InstancesArchived).Should().Be(60);
        again!.InstancesArchived.Should().Be(0, "a run after everything is archived finds nothing");
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.archived_instances")).Should().Be(60);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(0);
    }

    [Fact]
    public async Task Run_WithZeroDays_IsOff()
    {
        await using var harness = await LifecycleHarness.CreateAsync("retention-off");
        await CostHistory.SaveAsync(harness, [CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, Day, Day.AddHours(1))]);
        harness.Clock.Set(Day.AddDays(400));
        await harness.Get<CostRollup>().RunAsync(CancellationToken.None);

        var run = await Create(harness, days: 0).RunAsync(CancellationToken.None);

        run.Should().BeNull();
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances")).Should().Be(1);
        (await harness.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.retention_runs")).Should().Be(0);
    }

    private static InstanceRetention Create(LifecycleHarness harness, int days, int batchSize = 1_000) =>
        new(harness.Get<NpgsqlDataSource>(), Options.Create(new RetentionOptions { FinishedInstanceDays = days, BatchSize = batchSize }),
            harness.Clock, NullLogger<InstanceRetention>.Instance);
}
