using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Unit.Worker.Jobs;

/// <summary>
/// Every worker must wake at the same instants, so that the pass's advisory lock lets only one of them run it per period
/// (as the recurring job's cron did): the wait ends on a multiple of the interval since the epoch.
/// </summary>
public sealed class FrequentPassesTests
{
    [Theory]
    [InlineData("2026-12-07T06:00:00.000Z", 5_000, 5_000)]
    [InlineData("2026-12-07T06:00:00.001Z", 5_000, 4_999)]
    [InlineData("2026-12-07T06:00:03.250Z", 5_000, 1_750)]
    [InlineData("2026-12-07T06:00:07.000Z", 10_000, 3_000)]
    public void UntilNextTick_EndsOnAMultipleOfTheInterval(string now, int intervalMs, int expectedMs)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);

        FrequentPasses.UntilNextTick(at, TimeSpan.FromMilliseconds(intervalMs)).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void UntilNextTick_IsTheSameInstantForTwoWorkersWhoseClocksReadDifferently()
    {
        var interval = TimeSpan.FromSeconds(5);
        var first = DateTimeOffset.Parse("2026-12-07T06:00:01.100Z", System.Globalization.CultureInfo.InvariantCulture);
        var second = first.AddMilliseconds(2_300);

        (first + FrequentPasses.UntilNextTick(first, interval)).Should().Be(second + FrequentPasses.UntilNextTick(second, interval));
    }
}
