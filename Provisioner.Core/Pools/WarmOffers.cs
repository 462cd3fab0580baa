using System.Data.Common;
using Npgsql;
using Provisioner.Core.Instances;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Pools;

/// <summary>
/// Placement's view of the pools: which of a plan's offers a pool has a free warm machine of for this tenant, so a request
/// may be placed on it instead of a cheaper cold one (when it says <see cref="PlacementRequest.PreferWarm"/>, or the price
/// difference is within <see cref="PoolsOptions.WarmPriceDifference"/>). A hint only: the draw decides, and a machine taken
/// meanwhile leaves the request to launch cold on the offer chosen.
/// </summary>
public static class WarmOffers
{
    private const string Sql = """
        SELECT DISTINCT p.provider, p.instance_type, p.region
          FROM provisioner.pools p JOIN provisioner.pool_machines m ON m.pool_id = p.id
         WHERE p.status = 'ACTIVE' AND m.state = 'WARM' AND p.disk_size_gb >= $2
           AND (cardinality(p.tenants) = 0 OR $1 = ANY (p.tenants))
        """;

    /// <returns>The plan with the warm offer first (and why, for the attempts), or the plan unchanged.</returns>
    public static async Task<(PlacementPlan Plan, string? Why)> PreferAsync(
        DbConnection connection, PlacementPlan plan, PlacementRequest needs, string owner, int diskSizeGB, decimal priceDifference, CancellationToken cancellationToken)
    {
        var warm = new HashSet<(string, string, string)>();
        await using (var command = new NpgsqlCommand(Sql, (NpgsqlConnection)connection))
        {
            command.Parameters.Add(new() { Value = owner });
            command.Parameters.Add(new() { Value = diskSizeGB });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                warm.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var cheapest = plan.Offers[0];
        var chosen = plan.Offers.FirstOrDefault(o => !o.Spot && o.GpuCount == 1
            && warm.Contains((o.Provider.ToString().ToUpperInvariant(), o.InstanceType, o.Region))
            && (needs.PreferWarm || o.PricePerHour - cheapest.PricePerHour <= priceDifference));
        if (chosen is null || chosen == cheapest)
        {
            return (plan, null);
        }

        var why = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"preferred over the cold {cheapest} at {cheapest.PricePerHour:0.####}/h ({(needs.PreferWarm ? "preferWarm" : "within Pools:WarmPriceDifference")})");
        return (plan with { Offers = [chosen, .. plan.Offers.Where(o => o != chosen)] }, why);
    }
}
