namespace Provisioner.Core.Webhooks;

/// <summary>A webhook target that must not be called; the message says why, for the client and the attempt record.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
