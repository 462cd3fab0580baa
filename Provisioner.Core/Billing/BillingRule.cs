namespace Provisioner.Core.Billing;

/// <summary>
/// How a cloud turns running time into money: time is rounded <b>up</b> to whole increments, never below the minimum,
/// from the moment the cloud reports the machine started until <see cref="StopsAt"/>. The charge is
/// price × billed seconds / 3600, rounded to 6 decimals half away from zero (amounts are shown to 4).
/// </summary>
public sealed record BillingRule(int IncrementSeconds, int MinimumSeconds, BillingStop StopsAt)
{
    /// <summary>Per second, no minimum, until released: what a cloud without a stated rule is billed by.</summary>
    public static readonly BillingRule PerSecond = new(1, 0, BillingStop.Released);

    public long BilledSeconds(TimeSpan ran)
    {
        // Whole microseconds, as PostgreSQL keeps time, so the database's sums agree with this to the cent.
        var micros = Math.Max(0, ran.Ticks / 10);
        var increments = (micros + (IncrementSeconds * 1_000_000L) - 1) / (IncrementSeconds * 1_000_000L);
        return Math.Max(increments * IncrementSeconds, MinimumSeconds);
    }

    public decimal Charge(decimal pricePerHour, TimeSpan ran) =>
        decimal.Round(pricePerHour * BilledSeconds(ran) / 3600m, 6, MidpointRounding.AwayFromZero);
}
