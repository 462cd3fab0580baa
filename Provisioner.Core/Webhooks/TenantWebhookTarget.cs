using Npgsql;

namespace Provisioner.Core.Webhooks;

/// <summary>Where a tenant's instance events go when the instance names no URL of its own: its default URL and events.</summary>
public sealed record TenantWebhookTarget(string Url, IReadOnlyCollection<string> Events)
{
    // The same read as WebhookOutbox's compiled query, as a statement the create sends in its first batch.
    private const string Sql = "SELECT url, events FROM provisioner.tenant_webhooks WHERE owner = $1 AND url IS NOT NULL";

    internal static NpgsqlBatchCommand Command(string owner) => new(Sql) { Parameters = { new() { Value = owner } } };

    /// <returns>The tenant's default target; null when it has none.</returns>
    internal static async Task<TenantWebhookTarget?> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken) ? new TenantWebhookTarget(reader.GetString(0), reader.GetFieldValue<string[]>(1)) : null;
}

/// <summary>A tenant's default target as already read by the caller: <see cref="Target"/> null means it has none.</summary>
public readonly record struct TenantWebhookLookup(TenantWebhookTarget? Target);
