namespace Provisioner.Api.Instances;

/// <summary>What to count: a tenant's instances, optionally one user's, requested within [From, To), grouped or not.</summary>
public sealed record StatisticsQuery(string? UserId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, StatisticsGrouping? GroupBy = null);

/// <summary>The groupings <c>groupBy</c> accepts.</summary>
public enum StatisticsGrouping
{
    Day,
    Provider,
    InstanceType,
    Region,
    UserId,
}
