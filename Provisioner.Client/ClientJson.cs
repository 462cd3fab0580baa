using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioner.Client;

/// <summary>
/// The client's JSON: the API's camelCase, absent values left out of requests (the API tells its two create shapes
/// apart by the fields present), and unknown fields in answers ignored so that a newer API does not break this client.
/// </summary>
public static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
