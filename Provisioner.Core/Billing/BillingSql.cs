namespace Provisioner.Core.Billing;

/// <summary>
/// <see cref="Instances.Instance.CostAt"/> as SQL over <c>provisioner.instances</c>, for sums over many instances without
/// loading them: the same rule, the same rounding (proven equal by the statistics tests).
/// </summary>
public static class BillingSql
{
    /// <summary>When billing stopped: the cloud's stop time of an interrupted machine, else by each row's rule; NULL while it still bills.</summary>
    public const string BillingEnd =
        "coalesce(interrupted_at, CASE WHEN billing_stops_at = 'STOPACCEPTED' THEN coalesce(stop_accepted_at, released_at) ELSE released_at END)";

    /// <summary>What each row would cost if it ran to its auto-termination deadline (its earlier machines' bills included).</summary>
    public const string WorstCase =
        "earlier_machines_cost + round(cost_per_hour * greatest(billing_minimum_seconds::numeric, ceil(auto_terminate_minutes * 60.0 / billing_increment_seconds) * billing_increment_seconds) / 3600, 6)";

    /// <summary>
    /// The cost of each row as of <paramref name="nowParameter"/> (a timestamptz parameter or expression): what its earlier
    /// machines were billed (after relaunches) plus its current machine's charge.
    /// </summary>
    public static string CostAt(string nowParameter) =>
        $"""
        (earlier_machines_cost + CASE WHEN launched_at IS NULL THEN 0 ELSE round(cost_per_hour * greatest(billing_minimum_seconds::numeric,
            ceil(greatest(0, extract(epoch FROM (coalesce({BillingEnd}, {nowParameter}) - launched_at))) / billing_increment_seconds) * billing_increment_seconds)
            / 3600, 6) END)
        """;
}
