using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Unit.Worker.Jobs;

public sealed class RecurringScheduleTests
{
    [Theory]
    [InlineData("00:00:02", "*/2 * * * * *")]
    [InlineData("00:00:30", "*/30 * * * * *")]
    [InlineData("00:01:00", "0 */1 * * * *")]
    [InlineData("00:15:00", "0 */15 * * * *")]
    [InlineData("01:00:00", "0 0 */1 * * *")]
    [InlineData("06:00:00", "0 0 */6 * * *")]
    public void ToCron_PeriodThatDividesItsUnit_IsEveryNOfThatUnit(string period, string cron) =>
        RecurringSchedule.ToCron(TimeSpan.Parse(period), "Lifecycle:SweepInterval").Should().Be(cron);

    [Theory]
    [InlineData("00:00:07")]
    [InlineData("00:00:00.500")]
    [InlineData("00:01:30")]
    [InlineData("00:07:00")]
    [InlineData("05:00:00")]
    [InlineData("2.00:00:00")]
    public void ToCron_PeriodCronCannotExpress_IsRefusedNamingTheSetting(string period)
    {
        var act = () => RecurringSchedule.ToCron(TimeSpan.Parse(period), "Lifecycle:SweepInterval");

        act.Should().Throw<InvalidOperationException>().WithMessage("Lifecycle:SweepInterval = *cannot run on a fixed schedule*");
    }
}
