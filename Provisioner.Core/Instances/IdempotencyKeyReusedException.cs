namespace Provisioner.Core.Instances;

/// <summary>An <c>Idempotency-Key</c> sent again with a different request than the one it was first used for.</summary>
public sealed class IdempotencyKeyReusedException(string key, Guid instanceId)
    : Exception($"Idempotency key '{key}' was already used for a different request (instance {instanceId}).")
{
    public string Key { get; } = key;
    public Guid InstanceId { get; } = instanceId;
}
