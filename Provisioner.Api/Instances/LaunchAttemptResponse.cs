using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances;

/// <summary>One offer a launch tried or skipped: where, at what price, and how it ended (LAUNCHED, REFUSED, SKIPPED, FAILED).</summary>
public sealed record LaunchAttemptResponse(
    int Number, string Provider, string InstanceType, string Region, string Market, decimal PricePerHour, string Outcome, string? Detail, DateTimeOffset At)
{
    public static LaunchAttemptResponse Of(LaunchAttempt a) => new(
        a.Number, CreateInstanceRequestValidator.ProviderName(a.Provider), a.InstanceType, a.Region, a.Spot ? "spot" : "on-demand",
        Money.Normalize(a.PricePerHour), a.Outcome.ToString().ToUpperInvariant(), a.Detail, a.At);
}

public sealed record LaunchAttemptsEnvelope(bool Success, IReadOnlyList<LaunchAttemptResponse> Attempts);
