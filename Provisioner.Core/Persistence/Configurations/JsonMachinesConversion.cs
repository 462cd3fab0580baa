using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Provisioner.Core.Instances;

namespace Provisioner.Core.Persistence.Configurations;

/// <summary>
/// The machines an instance lost to interruptions, as one jsonb value on its row: a handful at most (bounded by
/// <c>Lifecycle:MaxInterruptions</c>), read and written with the instance under its row version, so a release and a
/// relaunch never race on separate rows.
/// </summary>
internal static class JsonMachinesConversion
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PropertyBuilder<IReadOnlyList<InstanceMachine>> AsJsonb(this PropertyBuilder<IReadOnlyList<InstanceMachine>> property)
    {
        // Records compare by value, but a list does not: compare the serialized form.
        var comparer = new ValueComparer<IReadOnlyList<InstanceMachine>>(
            (a, b) => Serialize(a) == Serialize(b),
            m => Serialize(m).GetHashCode(StringComparison.Ordinal),
            m => m);
        return property
            .HasConversion(m => Serialize(m), json => Deserialize(json), comparer)
            .HasColumnType("jsonb")
            .IsRequired();
    }

    private static string Serialize(IReadOnlyList<InstanceMachine>? machines) => JsonSerializer.Serialize(machines ?? [], Json);

    private static IReadOnlyList<InstanceMachine> Deserialize(string json) => JsonSerializer.Deserialize<List<InstanceMachine>>(json, Json) ?? [];
}
