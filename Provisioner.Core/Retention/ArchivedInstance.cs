namespace Provisioner.Core.Retention;

/// <summary>
/// A finished instance moved out of the live tables: a few columns to find it by, and everything that was keyed by it
/// (the instance row, its events, launch attempts, webhook deliveries with their attempts, idempotency keys) as one
/// JSON document, so the archive does not have to follow every later change of the live tables' columns.
/// </summary>
public sealed class ArchivedInstance
{
    private ArchivedInstance()
    {
    }

    public Guid Id { get; private set; }
    public string Owner { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public string Status { get; private set; } = "";
    public DateTimeOffset EndedAt { get; private set; }
    public DateTimeOffset ArchivedAt { get; private set; }

    /// <summary>The rows as they were, by table: <c>instance</c>, <c>events</c>, <c>launchAttempts</c>, <c>webhookDeliveries</c>, <c>idempotencyKeys</c>.</summary>
    public string Record { get; private set; } = "";
}
