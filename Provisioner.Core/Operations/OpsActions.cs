namespace Provisioner.Core.Operations;

/// <summary>The names of the console's actions, as the audit list records them.</summary>
public static class OpsActions
{
    public const string TerminateInstance = "terminate-instance";
    public const string RedeliverWebhook = "redeliver-webhook";
}
