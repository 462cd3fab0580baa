using Provisioner.Core.Instances;

namespace Provisioner.Core.Webhooks;

/// <summary>What a receiver gets: the event's id (also the <c>webhook-id</c> header), its type and time, and the instance as <c>GET</c> returns it.</summary>
public sealed record WebhookEventBody(string Id, string Type, DateTimeOffset Timestamp, InstanceResponse Data);
