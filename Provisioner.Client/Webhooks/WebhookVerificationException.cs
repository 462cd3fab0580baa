namespace Provisioner.Client.Webhooks;

/// <summary>A webhook that must not be trusted: a header is missing, the timestamp is too old or new, or no signature matches.</summary>
public sealed class WebhookVerificationException(string message) : Exception(message);
