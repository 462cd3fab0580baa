namespace Provisioner.Core.Instances;

/// <summary>
/// The last retryable cloud error a step met (throttled, transient, circuit open): retried quietly, it would
/// otherwise be lost, and an instance that is then failed for being stuck could not say what held it up.
/// </summary>
public sealed partial class Instance
{
    /// <summary>The longest cloud error kept; the cloud's message is cut beyond it (a failure reason holds 2,000).</summary>
    public const int MaxCloudErrorLength = 1000;

    /// <summary>The error as its class and the cloud's code and message ("Throttled: AWS returned RequestLimitExceeded: …").</summary>
    public string? LastCloudError { get; private set; }

    public DateTimeOffset? LastCloudErrorAt { get; private set; }

    public void RecordCloudError(string error, DateTimeOffset now)
    {
        LastCloudError = error.Length > MaxCloudErrorLength ? error[..MaxCloudErrorLength] : error;
        LastCloudErrorAt = now;
    }
}
