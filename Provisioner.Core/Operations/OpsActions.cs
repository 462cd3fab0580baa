namespace Provisioner.Core.Operations;

/// <summary>The names of the console's actions, as the audit list records them.</summary>
public static class OpsActions
{
    public const string TerminateInstance = "terminate-instance";
    public const string RedeliverWebhook = "redeliver-webhook";

    // Changes made through the API, by the key that made them (an operator's or a tenant's).
    public const string CreateKey = "create-key";
    public const string RevokeKey = "revoke-key";
    public const string SetBudget = "set-budget";
    public const string RemoveBudget = "remove-budget";
    public const string SetWebhook = "set-webhook";
    public const string RemoveWebhook = "remove-webhook";
    public const string RotateWebhookSecret = "rotate-webhook-secret";
    public const string CreatePool = "create-pool";
    public const string ChangePool = "change-pool";
    public const string DeletePool = "delete-pool";

    /// <summary>A tenant's <c>DELETE /api/instances/{id}</c>: which key ended the instance.</summary>
    public const string TerminateInstanceByApi = "terminate-instance-api";

    // The jobs dashboard's own buttons.
    public const string RequeueJobs = "requeue-jobs";
    public const string DeleteJobs = "delete-jobs";
}
