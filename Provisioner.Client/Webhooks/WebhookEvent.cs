using System.Text.Json;
using Provisioner.Client.Models;

namespace Provisioner.Client.Webhooks;

/// <summary>
/// A verified webhook: its id (also the <c>webhook-id</c> header; the same on a redelivery, so use it to drop
/// duplicates), its type (<c>instance.ready</c>, <c>budget.threshold</c>, …), when it happened, and its data.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, DateTimeOffset Timestamp, JsonElement Data)
{
    /// <summary>For an instance event, the instance as <c>GET /api/instances/{id}</c> returned it then; otherwise null.</summary>
    public Instance? Instance =>
        Type.StartsWith("instance.", StringComparison.Ordinal) && Data.ValueKind == JsonValueKind.Object
            ? Data.Deserialize<Instance>(ClientJson.Options)
            : null;

    public Guid? InstanceId => Instance?.Id;
}
