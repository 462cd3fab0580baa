using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioner.Core.Providers.Novita;

// The v1 GPU instance API's JSON, as far as the adapter reads and writes it (field names from Novita's reference).

/// <summary>A product of <c>GET /products</c>. Prices are in 1/100,000 USD per GPU-hour, sent as numbers or numeric strings.</summary>
internal sealed record NovitaProduct(
    string Id,
    string Name,
    bool AvailableDeploy,
    [property: JsonConverter(typeof(NovitaNumberConverter))] decimal? Price,
    [property: JsonConverter(typeof(NovitaNumberConverter))] decimal? SpotPrice,
    IReadOnlyList<string>? BillingMethods,
    IReadOnlyList<string>? Regions,
    string? InventoryState,
    int? MinRootFS,
    int? MaxRootFS)
{
    /// <summary>Novita's price unit: 100,000 to the dollar.</summary>
    public const decimal UnitsPerDollar = 100_000m;

    public decimal PricePerGpuHour => (Price ?? 0m) / UnitsPerDollar;

    public decimal? SpotPricePerGpuHour => SpotPrice is { } spot ? spot / UnitsPerDollar : null;

    public bool OffersSpot => BillingMethods?.Contains(NovitaBilling.Spot) == true && SpotPrice is > 0;
}

internal static class NovitaBilling
{
    public const string OnDemand = "onDemand";
    public const string Spot = "spot";
}

internal sealed record NovitaProducts(IReadOnlyList<NovitaProduct>? Data);

/// <summary>A cluster of <c>GET /clusters</c>: its id is what products' clusters and a create's <c>clusterId</c> name.</summary>
internal sealed record NovitaCluster(string Id, string? Name);

internal sealed record NovitaClusters(IReadOnlyList<NovitaCluster>? Data);

internal sealed record NovitaEnv(string Key, string Value);

/// <summary>The body of <c>POST /gpu/instance/create</c>: only the documented fields, nulls left out.</summary>
internal sealed record NovitaCreateRequest(
    string Name,
    string ProductId,
    int GpuNum,
    int RootfsSize,
    string ImageUrl,
    string Kind,
    string BillingMode,
    string? ClusterId,
    string? Ports,
    IReadOnlyList<NovitaEnv>? Envs);

internal sealed record NovitaCreated(string Id);

internal sealed record NovitaStatusError(string? State, string? Message);

internal sealed record NovitaPortMapping(int Port, string? Endpoint, string? Type);

internal sealed record NovitaSsh(string? SshCommand, bool IsRunning);

internal sealed record NovitaNetwork(string? Id, string? Ip);

/// <summary>An instance of <c>GET /gpu/instance</c> and <c>GET /gpu/instances</c>; the counts are strings on the wire.</summary>
internal sealed record NovitaInstance(
    string Id,
    string? Name,
    string? ClusterId,
    string? Status,
    NovitaStatusError? StatusError,
    string? ProductId,
    string? ProductName,
    [property: JsonConverter(typeof(NovitaNumberConverter))] decimal? GpuNum,
    [property: JsonConverter(typeof(NovitaNumberConverter))] decimal? RootfsSize,
    string? BillingMode,
    IReadOnlyList<NovitaPortMapping>? PortMappings,
    NovitaNetwork? Network,
    NovitaSsh? ConnectComponentSSH,
    [property: JsonConverter(typeof(NovitaNumberConverter))] decimal? InstancePrice,
    JsonElement? CreatedAt,
    JsonElement? LastStoppedAt = null);

internal sealed record NovitaInstances(IReadOnlyList<NovitaInstance>? Instances, int? Total);

internal sealed record NovitaTemplate(string? Id, string? ImageUrl, string? Ports);

internal sealed record NovitaTemplateAnswer(NovitaTemplate? Template);

internal sealed record NovitaErrorBody(int? Code, string? Reason, string? Message);

/// <summary>Novita sends numbers both as JSON numbers and as numeric strings (<c>"35000"</c>): both are read.</summary>
internal sealed class NovitaNumberConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetDecimal(),
        JsonTokenType.String when reader.GetString() is { Length: > 0 } text =>
            decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : throw new JsonException($"'{text}' is not a number."),
        JsonTokenType.String => null,
        _ => throw new JsonException($"Expected a number or numeric string, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
