namespace Provisioner.Core.Operations;

/// <summary>
/// One operator action in the console, or one change made through the API (keys, budgets, webhooks, an instance
/// ended), written when it is taken: who (the key's id and name), what, to which record, when, and what came of it
/// (for a change, before → after). The audit list is append-only: nothing updates or deletes an entry.
/// </summary>
public sealed class OpsAuditEntry
{
    public const int MaxDetailLength = 2000;

    private OpsAuditEntry()
    {
        KeyId = KeyName = Action = Target = Outcome = string.Empty;
    }

    public OpsAuditEntry(string keyId, string keyName, string action, string target, Guid? instanceId, string outcome, DateTimeOffset at)
    {
        KeyId = keyId;
        KeyName = keyName;
        Action = action;
        Target = target;
        InstanceId = instanceId;
        Outcome = outcome is { Length: > MaxDetailLength } ? outcome[..MaxDetailLength] : outcome;
        At = at;
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>The key that acted (its public id, never the secret): an admin key, or a tenant's for its own changes.</summary>
    public string KeyId { get; private set; }

    /// <summary>The key's name when it acted: kept here, so the entry still reads after the key is revoked or renamed.</summary>
    public string KeyName { get; private set; }

    /// <summary>One of <see cref="OpsActions"/>.</summary>
    public string Action { get; private set; }

    /// <summary>What was acted on: an instance, a webhook delivery, a key, a tenant (budget, webhook) or jobs.</summary>
    public string Target { get; private set; }

    /// <summary>The instance concerned, when there is one: the instance's page lists its entries.</summary>
    public Guid? InstanceId { get; private set; }

    /// <summary>What came of it, in words.</summary>
    public string Outcome { get; private set; }
}
