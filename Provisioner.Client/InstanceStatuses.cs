namespace Provisioner.Client;

/// <summary>The statuses the API reports, as it spells them; kept as strings so a status added later does not break old clients.</summary>
public static class InstanceStatuses
{
    public const string Provisioning = "PROVISIONING";
    public const string Configuring = "CONFIGURING";
    public const string Ready = "READY";
    public const string Running = "RUNNING";
    public const string Stopping = "STOPPING";
    public const string Terminated = "TERMINATED";
    public const string Failed = "FAILED";

    /// <summary>The machine may be used.</summary>
    public static bool IsUsable(string status) => status is Ready or Running;

    /// <summary>Nothing will change any more.</summary>
    public static bool IsFinal(string status) => status is Terminated or Failed;
}
