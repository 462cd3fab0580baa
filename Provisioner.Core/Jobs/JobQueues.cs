namespace Provisioner.Core.Jobs;

/// <summary>
/// The job engine's queues. Each is served by its own pool of worker threads, so latency-critical lifecycle
/// steps never wait behind maintenance runs.
/// </summary>
public static class JobQueues
{
    /// <summary>An instance's steps: launch, readiness looks, termination, deadlines, idle checks.</summary>
    public const string Lifecycle = "lifecycle";

    /// <summary>Recurring maintenance: the lifecycle sweep, cloud reconciliation.</summary>
    public const string Maintenance = "maintenance";

    /// <summary>Webhook deliveries: a slow or dead receiver waits here, never in front of lifecycle work.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>The job store's tables live in this schema of the one database.</summary>
    public const string StoreSchema = "hangfire";
}
