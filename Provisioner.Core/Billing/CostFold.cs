namespace Provisioner.Core.Billing;

/// <summary>
/// The arithmetic of the rollup, apart from its storage: the rise of an instance's cost within each hour from where it
/// was last folded to where it is folded now. The rises telescope, so however the folding is split over runs, an
/// instance's hours add up to its cost at the last instant folded.
/// </summary>
public static class CostFold
{
    /// <param name="rolledUntil">Where the last fold ended; null if never folded (folding starts at the launch, from 0).</param>
    /// <param name="rolledCost">The cost at <paramref name="rolledUntil"/>.</param>
    /// <param name="billingEnd">When billing ended, if it has.</param>
    /// <param name="addToHour">Called with each hour's start and the cost that rose within it (may be negative: a correction).</param>
    /// <returns>Where this fold ends and the cost there: the next fold's start.</returns>
    public static (DateTimeOffset Until, decimal Cost) Fold(
        CostCurve curve, DateTimeOffset? rolledUntil, decimal? rolledCost, DateTimeOffset? billingEnd, DateTimeOffset now,
        Action<DateTimeOffset, decimal> addToHour)
    {
        var end = billingEnd is { } ended && ended < now ? ended : now;
        var cursor = rolledUntil ?? curve.LaunchedAt;
        var previous = rolledCost ?? 0m;
        if (end <= cursor)
        {
            // Nothing new, or billing turned out to end before the last fold (a stop recorded late): correct in place.
            var settledCost = curve.At(end);
            addToHour(HourOf(end), settledCost - previous);
            return (rolledUntil is { } last && last > end ? last : end, settledCost);
        }

        while (cursor < end)
        {
            var hour = HourOf(cursor);
            var segmentEnd = hour.AddHours(1) < end ? hour.AddHours(1) : end;
            var cost = curve.At(segmentEnd);
            addToHour(hour, cost - previous);
            previous = cost;
            cursor = segmentEnd;
        }

        return (end, previous);
    }

    public static DateTimeOffset HourOf(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
}
