using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Provisioner.Core.Billing;
using Provisioner.Core.Budgets;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Persistence;
using Provisioner.Core.Placement;
using Provisioner.Core.Pools;
using Provisioner.Core.Providers;
using Provisioner.Core.Webhooks;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// The outcome of a create: the instance, whether it was an earlier request's answer replayed, and the tenant's
/// webhook signing secret when this create was its first use of webhooks (shown once).
/// </summary>
public sealed record CreateOutcome(Instance Instance, bool Replayed, string? NewWebhookSecret = null);

/// <summary>What a client can ask of instances. Each command writes its record and its job in one transaction.</summary>
public sealed class InstanceCommands(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IInstanceWorkQueue queue,
    WebhookOutbox webhooks,
    InstanceUpdater updater,
    InstanceTypeCatalog catalog,
    BillingRules billing,
    TimeProvider clock,
    Placer? placer = null,
    ILogger<InstanceCommands>? logger = null,
    ICloudProviderResolver? providers = null,
    Microsoft.Extensions.Options.IOptions<PoolsOptions>? pools = null)
{
    /// <summary>
    /// Records the request and schedules its launch and its auto-termination deadline. With an idempotency
    /// key, a repeat of the same request returns the first instance; the key with another request is refused.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was first used for a different request.</exception>
    /// <exception cref="Budgets.BudgetExceededException">The tenant's budget does not allow the instance's worst case; nothing is written.</exception>
    /// <exception cref="NoOfferException">The request states needs and no offer fits them; nothing is written.</exception>
    public async Task<CreateOutcome> CreateAsync(string owner, InstanceSpec spec, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // Hashed as asked (the needs, not the plan of the moment), so a repeat matches whatever the placer picks now.
        var requestHash = InstanceSpecHash.Of(spec);
        if (idempotencyKey is not null && await FindReplayAsync(owner, idempotencyKey, requestHash, cancellationToken) is { } earlier)
        {
            return new CreateOutcome(earlier, Replayed: true);
        }

        string? warmChoice = null;
        if (spec.Needs is { } needs)
        {
            (spec, warmChoice) = await PlaceAsync(owner, spec, needs, cancellationToken);
        }

        if (!catalog.TryFind(spec.Provider, spec.InstanceType, out var offer))
        {
            throw new ArgumentException($"{spec.Provider} does not offer {spec.InstanceType}.", nameof(spec));
        }

        var now = clock.GetUtcNow();
        var instance = Instance.Create(Guid.CreateVersion7(now), owner, spec, offer.PricePerHour * spec.GpuCount, billing.For(spec.Provider), now);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            // The budget row locked, a warm machine drawn and the tenant's webhook target read, in one round trip.
            var checks = await CreateChecks.RunAsync(npgsqlTransaction, instance, providers?.ForRequested(instance.Provider).Name, now, cancellationToken);
            await BudgetGuard.CheckAsync(npgsqlTransaction, instance, checks.Budget, now, cancellationToken);
            var newSecret = spec.WebhookUrl is null
                ? null
                : await TenantWebhookSecrets.EnsureAsync(npgsqlTransaction, owner, now, cancellationToken);
            // A warm machine of the offer, when a pool keeps one for this tenant: the instance is Ready in this transaction.
            var work = ServeFromPool(instance, checks.Pool, warmChoice, now);
            db.Instances.Add(instance);
            if (idempotencyKey is not null)
            {
                db.IdempotencyKeys.Add(new IdempotencyKey(owner, idempotencyKey, requestHash, instance.Id, now));
            }

            // Entering Provisioning schedules the launch and the deadline (InstanceLifecycle), in this transaction.
            await InstanceUpdater.SaveAndCommitAsync(queue, webhooks, db, transaction, instance, work, now, cancellationToken, tenantTarget: checks.TenantWebhook);
            // The request's own line: with the trace and correlation ids of its scope, it ties the POST to its jobs.
            logger?.InstanceRequested(
                instance.Id, owner, spec.Provider, spec.InstanceType, spec.Region);
            return new CreateOutcome(instance, Replayed: false, newSecret);
        }
        catch (DbUpdateException error) when (idempotencyKey is not null
            && error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotency_keys" })
        {
            // A concurrent request with the same key committed first: answer as it did.
            var winner = await FindReplayAsync(owner, idempotencyKey, requestHash, cancellationToken)
                ?? throw new InvalidOperationException($"Idempotency key '{idempotencyKey}' conflicted but cannot be found.", error);
            return new CreateOutcome(winner, Replayed: true);
        }
    }

    /// <summary>
    /// Makes the new instance Ready on the warm machine its checks drew (<see cref="PoolDraw"/>). Entering Provisioning then
    /// asks for no launch (the instance is past it); its deadline is scheduled here.
    /// </summary>
    /// <returns>The work the drawn instance needs beyond what entering Ready schedules; none when nothing was drawn.</returns>
    /// <param name="warmChoice">Why placement put the request on a warm offer over a cheaper cold one, for the attempts; null when it did not.</param>
    private IReadOnlyCollection<InstanceWork> ServeFromPool(Instance instance, PoolMatch? match, string? warmChoice, DateTimeOffset now)
    {
        if (match?.Machine is not { } machine)
        {
            return [];
        }

        instance.ServeFromPool(match.PoolName, machine.Backend, machine.CloudInstanceId, machine.PublicIp, machine.PrivateIp, now, warmChoice);
        logger?.ServedFromPool(instance.Id, match.PoolName, machine.CloudInstanceId);
        return [new InstanceWork(InstanceWorkKind.AutoTerminate, instance.Id, InstanceLifecycle.DueAt(InstanceWorkKind.AutoTerminate, instance, now))];
    }

    /// <summary>
    /// Asks for the instance to be stopped. A repeat, or a request for a finished instance, changes nothing.
    /// </summary>
    /// <returns>The instance after the request, and whether this call started the stop.</returns>
    public async Task<(Instance Instance, bool Started)> RequestTerminationAsync(string owner, Guid instanceId, CancellationToken cancellationToken)
    {
        await EnsureVisibleAsync(owner, instanceId, cancellationToken);
        return await RequestStopAsync(instanceId, "termination requested by the client", cancellationToken);
    }

    /// <summary>Stops an instance for the system's own reason (a budget spent, say); like the client's request, idempotent.</summary>
    public async Task<(Instance Instance, bool Started)> RequestStopAsync(Guid instanceId, string cause, CancellationToken cancellationToken)
    {
        Instance? result = null;
        var started = await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            result = instance;
            // Entering Stopping schedules the terminate step.
            return instance.RequestStop(cause, now);
        }, cancellationToken);
        return (result!, started);
    }

    /// <summary>A sign of use from the client: Ready becomes Running, and the idle limit starts again.</summary>
    /// <exception cref="InvalidTransitionException">The instance is neither Ready nor Running.</exception>
    public async Task<Instance> RecordHeartbeatAsync(string owner, Guid instanceId, CancellationToken cancellationToken)
    {
        await EnsureVisibleAsync(owner, instanceId, cancellationToken);
        return await updater.UpdateAsync(instanceId, (instance, now, _) =>
        {
            // The pending idle check finds the newer heartbeat and moves itself later: no job write per beat.
            instance.RecordHeartbeat(now);
            return instance;
        }, cancellationToken);
    }

    /// <summary>
    /// The placer's cheapest fitting offer becomes the spec's machine, unless a warm pool has a free machine of another
    /// fitting offer the request prefers (<see cref="WarmOffers"/>); the plan keeps it and its fallbacks.
    /// </summary>
    private async Task<(InstanceSpec Spec, string? WarmChoice)> PlaceAsync(string owner, InstanceSpec spec, PlacementRequest needs, CancellationToken cancellationToken)
    {
        var plan = await (placer ?? throw new InvalidOperationException("Requests stating needs need the placer.")).PlanAsync(needs, cancellationToken);
        string? warmChoice = null;
        if (providers is not null && spec.UserData is null && spec.Template is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            (plan, warmChoice) = await WarmOffers.PreferAsync(db.Database.GetDbConnection(), plan, needs, owner, spec.DiskSizeGB,
                pools?.Value.WarmPriceDifference ?? 0m, cancellationToken);
        }

        var first = plan.Offers[0];
        return (spec with
        {
            Provider = first.Provider,
            InstanceType = first.InstanceType,
            Region = first.Region,
            GpuCount = first.GpuCount,
            SpotMaxPrice = first.Spot ? first.PricePerHour : null,
            Placement = plan,
        }, warmChoice);
    }

    private async Task EnsureVisibleAsync(string owner, Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Instances.AnyAsync(i => i.Id == instanceId && i.Owner == owner, cancellationToken))
        {
            throw new InstanceNotFoundException(instanceId);
        }
    }

    private async Task<Instance?> FindReplayAsync(string owner, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Owner == owner && k.Key == key, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (stored.RequestHash != requestHash)
        {
            throw new IdempotencyKeyReusedException(key, stored.InstanceId);
        }

        return await db.Instances.AsNoTracking().SingleAsync(i => i.Id == stored.InstanceId, cancellationToken);
    }
}
