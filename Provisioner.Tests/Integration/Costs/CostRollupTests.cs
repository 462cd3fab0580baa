using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Costs;

/// <summary>The rollup against a direct computation over the raw records, on random histories, folded in steps.</summary>
public sealed class CostRollupTests
{
    private const string Owner = LifecycleHarness.Tenant;
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 20, 17, 13, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Rollup_FoldedInSteps_EqualsTheDirectComputation_AndSettlesWhatEnded(int seed)
    {
        await using var harness = await LifecycleHarness.CreateAsync($"rollup-{seed}");
        var history = RandomHistory(new Random(seed), 60);
        await CostHistory.SaveAsync(harness, history);
        var sut = harness.Get<CostRollup>();

        // Folded at three moments while some still run, then after everything ended.
        foreach (var at in new[] { T0.AddMinutes(37), T0.AddHours(2.5), T0.AddHours(5), T0.AddHours(9) })
        {
            harness.Clock.Set(at);
            await sut.RunAsync(CancellationToken.None);
            (await CostHistory.BucketsAsync(harness, Owner)).Should().BeEquivalentTo(Expected(history, at), $"folded up to {at:O}");
        }

        var buckets = await CostHistory.BucketsAsync(harness, Owner);
        var hours = buckets.Where(b => b.Key.Item1 == CostGranularity.Hour).Sum(b => b.Value);
        hours.Should().Be(history.Sum(i => i.CostAt(T0.AddHours(9))), "an instance's hours add up to exactly its cost");
        buckets.Where(b => b.Key.Item1 == CostGranularity.Day).Sum(b => b.Value).Should().Be(hours);

        var again = await sut.RunAsync(CancellationToken.None);
        again.InstancesFolded.Should().Be(history.Count(i => i.BillingEndedAt is null), "what ended was settled and is never read again; only what still bills is");
        (await CostHistory.BucketsAsync(harness, Owner)).Should().BeEquivalentTo(buckets, "a re-run changes nothing");
    }

    [Fact]
    public async Task Rollup_AfterNewData_FoldsOnlyWhatIsNewOrStillBilling()
    {
        await using var harness = await LifecycleHarness.CreateAsync("rollup-incremental");
        var first = new[]
        {
            CostHistory.Launched(Owner, CloudProviderName.Aws, "p3.2xlarge", 3.06m, T0, T0.AddMinutes(30)),
            CostHistory.Launched(Owner, CloudProviderName.Azure, "Standard_NC6", 0.9m, T0.AddMinutes(5), stopAt: null),
        };
        await CostHistory.SaveAsync(harness, first);
        var sut = harness.Get<CostRollup>();
        harness.Clock.Set(T0.AddHours(1));
        (await sut.RunAsync(CancellationToken.None)).Should().BeEquivalentTo(new { InstancesFolded = 2, InstancesSettled = 1 });

        var later = CostHistory.Launched(Owner, CloudProviderName.Novita, "RTX 4090", 0.69m, T0.AddMinutes(70), T0.AddMinutes(100));
        await CostHistory.SaveAsync(harness, [later]);
        harness.Clock.Set(T0.AddHours(2));
        var run = await sut.RunAsync(CancellationToken.None);

        run.InstancesFolded.Should().Be(2, "the new instance and the one still billing; the ended one is settled and skipped");
        (await CostHistory.BucketsAsync(harness, Owner)).Should().BeEquivalentTo(Expected([.. first, later], T0.AddHours(2)));
    }

    /// <summary>
    /// The direct computation: an instance adds to each hour the rise of its cost within the hour, its cost counted
    /// from 0 before its launch, up to the fold time or the end of its billing.
    /// </summary>
    private static Dictionary<(CostGranularity, DateTimeOffset, string, CloudProviderName, string, string), decimal> Expected(IEnumerable<Instance> history, DateTimeOffset at)
    {
        var expected = new Dictionary<(CostGranularity, DateTimeOffset, string, CloudProviderName, string, string), decimal>();
        foreach (var instance in history.Where(i => i.LaunchedAt < at || i.LaunchedAt == at))
        {
            var launched = instance.LaunchedAt!.Value;
            var end = instance.BillingEndedAt is { } ended && ended < at ? ended : at;
            var hour = CostFold.HourOf(launched);
            do
            {
                var upTo = hour.AddHours(1) < end ? hour.AddHours(1) : end;
                var from = hour > launched ? instance.Billing.Charge(instance.CostPerHour, hour - launched) : 0m;
                var rise = instance.Billing.Charge(instance.CostPerHour, upTo - launched) - from;
                foreach (var key in new[] { (CostGranularity.Hour, hour), (CostGranularity.Day, new DateTimeOffset(hour.UtcDateTime.Date, TimeSpan.Zero)) })
                {
                    var k = (key.Item1, key.Item2, instance.UserId, instance.Provider, instance.InstanceType, instance.Region);
                    expected[k] = expected.GetValueOrDefault(k) + rise;
                }

                hour = hour.AddHours(1);
            }
            while (hour < end);
        }

        return expected.Where(e => e.Value != 0m).ToDictionary();
    }

    private static List<Instance> RandomHistory(Random random, int count)
    {
        var kinds = new (CloudProviderName Provider, string Type, decimal Price)[]
        {
            (CloudProviderName.Aws, "g5.xlarge", 1.006m), (CloudProviderName.Azure, "Standard_NC6", 0.9m),
            (CloudProviderName.Novita, "RTX 4090", 0.69m), (CloudProviderName.Simulated, "sim.gpu.small", 0.333333m),
        };
        var history = new List<Instance>();
        for (var i = 0; i < count; i++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            var launched = T0.AddSeconds(random.Next(-6 * 3600, 4 * 3600)).AddMilliseconds(random.Next(1000));
            DateTimeOffset? stop = random.Next(5) == 0 ? null : launched.AddSeconds(random.Next(10, 3 * 3600)).AddMilliseconds(random.Next(1000));
            history.Add(CostHistory.Launched(Owner, kind.Provider, kind.Type, kind.Price, launched, stop,
                userId: $"user-{random.Next(2)}", region: $"region-{random.Next(2)}", shutdown: TimeSpan.FromSeconds(random.Next(1, 90))));
        }

        return history;
    }
}
