using System.Text.Json.Serialization;
using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances;

/// <summary>
/// The original design's statistics object, over the instances requested in [<see cref="From"/>, <see cref="To"/>) when a range is
/// given, with <see cref="Groups"/> when the request asked for a grouping.
/// </summary>
/// <param name="TotalProvisioned">Every instance requested.</param>
/// <param name="CurrentlyRunning">Instances READY or RUNNING now.</param>
/// <param name="TotalCost">Cost of every instance, live ones up to now (USD).</param>
/// <param name="AverageDuration">Mean hours from request to termination, over finished instances.</param>
/// <param name="AverageCost">Mean cost of a finished instance (USD).</param>
public sealed record InstanceStatistics(
    int TotalProvisioned,
    int CurrentlyRunning,
    decimal TotalCost,
    double AverageDuration,
    decimal AverageCost,
    IReadOnlyDictionary<string, int> ProviderBreakdown,
    IReadOnlyDictionary<string, int> InstanceTypeBreakdown,
    IReadOnlyDictionary<string, int> StatusBreakdown,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? From = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? To = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GroupBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StatisticsGroup>? Groups = null);

/// <summary>The original design's figures for one group (a day, provider, instance type, region or user).</summary>
public sealed record StatisticsGroup(string Key, int TotalProvisioned, int CurrentlyRunning, decimal TotalCost, double AverageDuration, decimal AverageCost);

public sealed record InstanceStatisticsEnvelope(bool Success, InstanceStatistics Statistics);

/// <summary>Statuses as the API spells them (upper case), for query strings.</summary>
internal static class InstanceStatusNames
{
    public static string Of(InstanceStatus status) => status.ToString().ToUpperInvariant();

    public static bool TryParse(string value, out InstanceStatus status)
    {
        foreach (var candidate in Enum.GetValues<InstanceStatus>())
        {
            if (Of(candidate) == value)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
