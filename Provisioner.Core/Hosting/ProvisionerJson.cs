using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioner.Core.Hosting;

/// <summary>
/// How our JSON reads to clients, wherever it is written: camelCase names, enums as the original design's upper-case names,
/// timestamps to the microsecond.
/// </summary>
public static class ProvisionerJson
{
    /// <summary>For what we send outside a request (webhook bodies): the same shape the API answers with.</summary>
    public static readonly JsonSerializerOptions Options = ApplyConventions(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions ApplyConventions(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        json.Converters.Add(new MicrosecondTimestampConverter());
        return json;
    }
}
