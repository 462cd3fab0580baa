namespace Provisioner.Core.Webhooks;

/// <summary>
/// What a receiver gets: the event's id (also the <c>webhook-id</c> header), its type and time, and its data: for an
/// instance event the instance as <c>GET</c> returns it, for a budget event the month's figures.
/// </summary>
public sealed record WebhookEventBody(string Id, string Type, DateTimeOffset Timestamp, object Data);
