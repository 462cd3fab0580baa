using Npgsql;
using Provisioner.Core.Budgets;
using Provisioner.Core.Instances;
using Provisioner.Core.Pools;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Lifecycle;

/// <summary>What the create's first batch read: the tenant's locked budget, the pool draw, its default webhook target.</summary>
/// <param name="Budget">Null: the tenant has no budget.</param>
/// <param name="Pool">Null: no pool drawn from (none keeps the offer, or the request cannot be served from one).</param>
/// <param name="TenantWebhook">Null when not read (the instance names its own URL).</param>
internal sealed record CreateCheckResults(BudgetLimits? Budget, PoolMatch? Pool, TenantWebhookLookup? TenantWebhook);

/// <summary>
/// The create's reads before its writes, sent as one batch on its transaction: one round trip where they were three
/// (with 50 clients creating at once every round trip is a wait for a turn on the API's and PostgreSQL's cores). In
/// order: the tenant's budget row locked (<see cref="BudgetGuard"/>), a warm machine drawn (<see cref="PoolDraw"/>), the
/// tenant's default webhook target. The draw runs before the budget's verdict is known; a refused create rolls back
/// its whole transaction, the draw and its pool request with it, so a refusal still writes nothing.
/// </summary>
internal static class CreateChecks
{
    /// <param name="poolBackend">The adapter that would launch the instance cold; null: draw from no pool.</param>
    public static async Task<CreateCheckResults> RunAsync(
        NpgsqlTransaction transaction, Instance instance, string? poolBackend, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(BudgetGuard.LockCommand(instance.Owner));
        var drawing = poolBackend is not null && PoolDraw.CouldServe(instance);
        if (drawing)
        {
            batch.BatchCommands.Add(PoolDraw.Command(instance, poolBackend!, now));
        }

        // WebhookOutbox reads the tenant's target only for an instance without a URL of its own.
        var readingTarget = instance.WebhookUrl is null;
        if (readingTarget)
        {
            batch.BatchCommands.Add(TenantWebhookTarget.Command(instance.Owner));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var budget = await BudgetGuard.ReadLockedAsync(reader, cancellationToken);
        PoolMatch? pool = null;
        if (drawing)
        {
            await reader.NextResultAsync(cancellationToken);
            pool = await PoolDraw.ReadAsync(reader, cancellationToken);
        }

        TenantWebhookLookup? target = null;
        if (readingTarget)
        {
            await reader.NextResultAsync(cancellationToken);
            target = new TenantWebhookLookup(await TenantWebhookTarget.ReadAsync(reader, cancellationToken));
        }

        return new CreateCheckResults(budget, pool, target);
    }
}
