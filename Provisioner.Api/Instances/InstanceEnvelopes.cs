using System.Text.Json.Serialization;
using Provisioner.Core.Instances;

namespace Provisioner.Api.Instances;

/// <summary>
/// The original design's envelope for one instance. <see cref="WebhookSecret"/> is there only on the create that first gave the
/// tenant a webhook: the signing secret is shown once, then only ever rotated. <see cref="EstimatedReadyAt"/> answers a
/// create in the NovitaAI service's shape, as that service does.
/// </summary>
public sealed record InstanceEnvelope(
    bool Success,
    InstanceResponse Instance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WebhookSecret = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EstimatedReadyAt = null);

/// <summary>The original design's envelope for a list, with a cursor for the next page.</summary>
public sealed record InstanceListEnvelope(bool Success, IReadOnlyList<InstanceResponse> Instances, int Count, string? NextCursor);
