namespace Provisioner.Core.Providers;

/// <summary>Idempotency tokens sent to clouds. Derived from the instance id so every retry sends the same one.</summary>
public static class LaunchTokens
{
    /// <summary>64 characters at most, ASCII: within EC2's ClientToken limit and Azure's resource-name rules.</summary>
    public static string For(Guid instanceId) => $"prov-{instanceId:N}";
}
