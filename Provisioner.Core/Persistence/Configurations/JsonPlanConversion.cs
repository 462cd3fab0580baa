using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Placement;

namespace Provisioner.Core.Persistence.Configurations;

/// <summary>A placement plan as one jsonb value: written once at create time, read whole by the launch.</summary>
internal static class JsonPlanConversion
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PropertyBuilder<PlacementPlan?> AsJsonb(this PropertyBuilder<PlacementPlan?> property)
    {
        // Records compare by value, but their list does not: compare the serialized form.
        var comparer = new ValueComparer<PlacementPlan?>(
            (a, b) => Serialize(a) == Serialize(b),
            p => Serialize(p).GetHashCode(StringComparison.Ordinal),
            p => p);
        return property
            .HasConversion(p => Serialize(p), json => Deserialize(json), comparer)
            .HasColumnType("jsonb");
    }

    private static string Serialize(PlacementPlan? plan) => JsonSerializer.Serialize(plan, Json);

    private static PlacementPlan? Deserialize(string json) => JsonSerializer.Deserialize<PlacementPlan>(json, Json);
}
