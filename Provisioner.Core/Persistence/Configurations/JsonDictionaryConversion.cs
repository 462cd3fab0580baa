using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Provisioner.Core.Persistence.Configurations;

/// <summary>Stores a string dictionary as a jsonb object.</summary>
internal static class JsonDictionaryConversion
{
    public static PropertyBuilder<Dictionary<string, string>> AsJsonb(this PropertyBuilder<Dictionary<string, string>> property)
    {
        var comparer = new ValueComparer<Dictionary<string, string>>(
            (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
            d => d.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
            d => new Dictionary<string, string>(d, StringComparer.Ordinal));
        return property
            .HasConversion(
                d => JsonSerializer.Serialize(d, (JsonSerializerOptions?)null),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                comparer)
            .HasColumnType("jsonb");
    }
}
