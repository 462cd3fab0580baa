namespace Provisioner.Core.Providers;

/// <summary>Idempotency tokens sent to clouds. Derived from the instance id so every retry sends the same one.</summary>
public static class LaunchTokens
{
    /// <summary>64 characters at most, ASCII: within EC2's ClientToken limit and Azure's resource-name rules.</summary>
    public static string For(Guid instanceId) => $"prov-{instanceId:N}";

    /// <summary>
    /// The token of one offer of a placement plan. A retry of the same offer sends the same token; the next offer (another
    /// type, region or cloud) needs its own, because a cloud refuses a token reused with another spec. The first offer's
    /// is <see cref="For(Guid)"/>, so instances launched before plans existed keep theirs.
    /// </summary>
    public static string For(Guid instanceId, int attempt) => attempt <= 1 ? For(instanceId) : $"{For(instanceId)}-{attempt}";
}
