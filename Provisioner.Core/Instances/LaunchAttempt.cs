using Provisioner.Core.Placement;

namespace Provisioner.Core.Instances;

/// <summary>
/// One offer a launch tried (or skipped), and how it ended: the instance's placement timeline, so a client sees why it
/// landed where it did and an operator sees what every cloud said (dstack#2490 asks for exactly this).
/// </summary>
public sealed class LaunchAttempt
{
    private LaunchAttempt()
    {
        InstanceType = Region = string.Empty;
    }

    internal LaunchAttempt(Guid instanceId, int number, PlannedOffer offer, LaunchAttemptOutcome outcome, string? detail, DateTimeOffset at)
    {
        InstanceId = instanceId;
        Number = number;
        Provider = offer.Provider;
        InstanceType = offer.InstanceType;
        Region = offer.Region;
        Spot = offer.Spot;
        PricePerHour = offer.PricePerHour;
        Outcome = outcome;
        Detail = detail;
        At = at;
    }

    public long Id { get; private set; }
    public Guid InstanceId { get; private set; }

    /// <summary>The offer's place in the plan, from 1.</summary>
    public int Number { get; private set; }

    public CloudProviderName Provider { get; private set; }
    public string InstanceType { get; private set; }
    public string Region { get; private set; }
    public bool Spot { get; private set; }
    public decimal PricePerHour { get; private set; }
    public LaunchAttemptOutcome Outcome { get; private set; }

    /// <summary>The cloud's refusal, or why the offer was skipped; null for a launch that succeeded.</summary>
    public string? Detail { get; private set; }

    public DateTimeOffset At { get; private set; }

    public override string ToString() =>
        $"{Number}. {new Offering(Provider, InstanceType, Region, Spot)} at {PricePerHour:0.####}/h: {Outcome.ToString().ToLowerInvariant()}{(Detail is null ? "" : $" ({Detail})")}";
}
