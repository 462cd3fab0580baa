using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances;

/// <summary>
/// One machine an instance had: the ones it lost to interruptions and was relaunched from, then its current one
/// (<see cref="Current"/>), each with the time it was billed and what that cost by its own price and billing rule. The
/// instance's <c>totalCost</c> is the sum of their <see cref="Cost"/>.
/// </summary>
/// <param name="EndedAt">When its billing ended (an interruption: the cloud's stop time); null while the current machine bills.</param>
/// <param name="EndReason">Why it ended: the interruption in the cloud's words; null for the current machine.</param>
/// <param name="ReleasedAt">When the cloud confirmed it gone; null while it may still hold it.</param>
public sealed record InstanceMachineResponse(
    int Number, string CloudInstanceId, string Provider, string InstanceType, string Region, string Market, decimal PricePerHour,
    DateTimeOffset LaunchedAt, DateTimeOffset? ReadyAt, DateTimeOffset? EndedAt, long BilledSeconds, decimal Cost,
    string? EndReason, DateTimeOffset? ReleasedAt, bool Current)
{
    /// <summary>Every machine of <paramref name="instance"/>, its current one billed as of <paramref name="now"/>.</summary>
    public static IReadOnlyList<InstanceMachineResponse> AllOf(Instance instance, DateTimeOffset now)
    {
        var machines = instance.Machines.Select(m => new InstanceMachineResponse(
            m.Number, m.CloudInstanceId, CreateInstanceRequestValidator.ProviderName(m.Provider), m.InstanceType, m.Region, m.Spot ? "spot" : "on-demand",
            Money.Normalize(m.PricePerHour), m.LaunchedAt, m.ReadyAt, m.EndedAt, m.BilledSeconds, Money.Round(m.Cost), m.EndReason, m.ReleasedAt, Current: false)).ToList();
        if (instance is { CloudInstanceId: { } cloudId, LaunchedAt: { } launched })
        {
            var until = instance.BillingEndedAt ?? now;
            machines.Add(new InstanceMachineResponse(
                instance.Machines.Count + 1, cloudId, CreateInstanceRequestValidator.ProviderName(instance.Provider), instance.InstanceType, instance.Region,
                instance.SpotMaxPrice is null ? "on-demand" : "spot", Money.Normalize(instance.CostPerHour), launched, instance.ReadyAt, instance.BillingEndedAt,
                instance.Billing.BilledSeconds(until - launched), Money.Round(instance.Billing.Charge(instance.CostPerHour, until - launched)),
                instance.InterruptedAt is null ? null : instance.FailureReason, instance.ReleasedAt, Current: true));
        }

        return machines;
    }
}

/// <summary>The answer of <c>GET /api/instances/{id}/machines</c>: every machine, and the instance's cost (their sum).</summary>
public sealed record InstanceMachinesEnvelope(bool Success, int Interruptions, decimal TotalCost, IReadOnlyList<InstanceMachineResponse> Machines);
