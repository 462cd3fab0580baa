namespace Provisioner.Worker.Jobs;

/// <summary>
/// Turns a configured period into the engine's cron expression (six fields, seconds first). Cron can only say
/// "every N" for an N that divides the next larger unit, so a period that does not is refused at start-up
/// rather than silently run at another rate.
/// </summary>
internal static class RecurringSchedule
{
    public static string ToCron(TimeSpan period, string setting)
    {
        if (period >= TimeSpan.FromSeconds(1) && period < TimeSpan.FromMinutes(1) && period.Ticks % TimeSpan.TicksPerSecond == 0 && 60 % period.Seconds == 0)
        {
            return $"*/{period.Seconds} * * * * *";
        }

        if (period >= TimeSpan.FromMinutes(1) && period < TimeSpan.FromHours(1) && period.Ticks % TimeSpan.TicksPerMinute == 0 && 60 % period.Minutes == 0)
        {
            return $"0 */{period.Minutes} * * * *";
        }

        if (period >= TimeSpan.FromHours(1) && period <= TimeSpan.FromDays(1) && period.Ticks % TimeSpan.TicksPerHour == 0 && 24 % (int)period.TotalHours == 0)
        {
            return $"0 0 */{(int)period.TotalHours} * * *";
        }

        throw new InvalidOperationException(
            $"{setting} = {period} cannot run on a fixed schedule: use whole seconds dividing a minute (1-30 s), whole minutes dividing an hour, or whole hours dividing a day.");
    }
}
