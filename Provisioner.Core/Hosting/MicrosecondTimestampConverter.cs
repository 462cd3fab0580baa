using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioner.Core.Hosting;

/// <summary>
/// Writes timestamps to the microsecond, the precision PostgreSQL keeps (Npgsql truncates the last tick digit), so
/// a value shows the same in the <c>202</c> that created it, in every later read from the database and in webhook
/// bodies; a clock's 100 ns ticks would otherwise show seven fractional digits first and six afterwards.
/// </summary>
public sealed class MicrosecondTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Truncate(value));

    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond), value.Offset);
}
