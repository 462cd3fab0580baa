using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Provisioner.Core.Webhooks;

/// <summary>A tenant's signing secret is made on its first use of webhooks, whichever request that is.</summary>
internal static class TenantWebhookSecrets
{
    // Two first uses at once: one inserts, the other waits for it and inserts nothing, so exactly one is told the secret.
    private const string Ensure = """
        INSERT INTO provisioner.tenant_webhooks (owner, url, events, secret, secret_created_at, created_at, updated_at)
        VALUES ($1, NULL, $2, $3, $4, $4, $4)
        ON CONFLICT (owner) DO NOTHING
        RETURNING secret
        """;

    /// <returns>The new secret when this call created it (shown once, to this caller); null when the tenant had one.</returns>
    public static async Task<string?> EnsureAsync(DbTransaction transaction, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var npgsqlTransaction = (NpgsqlTransaction)transaction;
        var created = TenantWebhook.Create(owner, now);
        await using var command = new NpgsqlCommand(Ensure, npgsqlTransaction.Connection, npgsqlTransaction);
        command.Parameters.Add(new() { Value = owner });
        command.Parameters.Add(new() { Value = created.Events, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = created.Secret });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
