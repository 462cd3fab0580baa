namespace Provisioner.Core.Instances;

/// <summary>
/// A client's <c>Idempotency-Key</c> for a create request, remembered with a hash of the request it came
/// with, so a repeat returns the first answer and a reuse for another request is refused.
/// </summary>
public sealed class IdempotencyKey
{
    private IdempotencyKey()
    {
        Owner = Key = RequestHash = string.Empty;
    }

    public IdempotencyKey(string owner, string key, string requestHash, Guid instanceId, DateTimeOffset createdAt)
    {
        Owner = owner;
        Key = key;
        RequestHash = requestHash;
        InstanceId = instanceId;
        CreatedAt = createdAt;
    }

    public string Owner { get; private set; }
    public string Key { get; private set; }
    public string RequestHash { get; private set; }
    public Guid InstanceId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
