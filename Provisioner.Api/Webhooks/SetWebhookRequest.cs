namespace Provisioner.Api.Webhooks;

/// <summary>The body of <c>PUT /api/webhook</c>: the tenant's default target and, optionally, which events it gets.</summary>
public sealed record SetWebhookRequest(string? Url, string[]? Events);
