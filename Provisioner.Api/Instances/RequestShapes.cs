using System.Globalization;
using System.Text.Json;

namespace Provisioner.Api.Instances;

/// <summary>
/// Which shape a create body uses, decided by the fields it carries, never guessed: any of the NovitaAI service's own
/// fields makes it that shape, any of the original design's makes it the original design's, and both at once is refused. The webhook fields
/// belong to both.
/// </summary>
public static class RequestShapes
{
    /// <summary>The NovitaAI service's request: a GPU count of 1-8 and a root disk of 10-1000 GB.</summary>
    public const int MinGpuNum = 1;
    public const int MaxGpuNum = 8;
    public const int MinRootfsSize = 10;
    public const int MaxRootfsSize = 1000;

    /// <summary>
    /// <c>estimatedReadyAt</c> when the offer has no recent measured boot (<see cref="NovitaReadyEstimator"/>): a typical
    /// pull and start of a GPU container.
    /// </summary>
    public static readonly TimeSpan NovitaEstimatedBootTime = TimeSpan.FromMinutes(5);

    public static IReadOnlyList<string> NovitaFieldsOf(CreateInstanceRequest r) =>
    [
        .. new (string Field, bool Present)[]
        {
            ("name", r.Name is not null), ("productName", r.ProductName is not null), ("templateId", r.TemplateId is not null),
            ("gpuNum", r.GpuNum is not null), ("rootfsSize", r.RootfsSize is not null), ("region", r.Region is not null),
        }.Where(f => f.Present).Select(f => f.Field),
    ];

    public static IReadOnlyList<string> SeedFieldsOf(CreateInstanceRequest r) =>
    [
        .. new (string Field, bool Present)[]
        {
            ("userId", r.UserId is not null), ("taskId", r.TaskId is not null), ("purpose", r.Purpose is not null), ("config", r.Config is not null),
        }.Where(f => f.Present).Select(f => f.Field),
    ];

    public static bool IsNovita(CreateInstanceRequest r) => NovitaFieldsOf(r).Count > 0;

    public static bool IsMixed(CreateInstanceRequest r) => IsNovita(r) && SeedFieldsOf(r).Count > 0;

    /// <summary>A positive integer template id, from a JSON number or a numeric string; null otherwise.</summary>
    public static long? TemplateIdOf(JsonElement? templateId) => templateId switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var id) && id > 0 => id,
        { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 => id,
        _ => null,
    };
}
