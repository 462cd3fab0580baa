using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Operations;
using Provisioner.Core.Persistence;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Ops.Actions;

/// <summary>
/// The console's actions, each done through the same command a client or the system uses, then written to the audit
/// list with who took it and what came of it. An instance's stop also carries the operator in the cause its timeline shows.
/// </summary>
internal sealed class OpsActionService(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    InstanceCommands instances,
    WebhookDeliveryCommands deliveries,
    TimeProvider clock)
{
    /// <returns>What happened, in words for the page's notice; null when there is no such instance.</returns>
    public async Task<string?> TerminateAsync(ClaimsPrincipal user, Guid instanceId, CancellationToken cancellationToken)
    {
        var who = await OpsOperator.OfAsync(user, dbFactory, cancellationToken);
        var now = clock.GetUtcNow();
        string outcome;
        try
        {
            var (instance, started) = await instances.RequestStopAsync(instanceId,
                $"terminated by operator {who} at {now.ToString("u", CultureInfo.InvariantCulture)}", cancellationToken);
            outcome = started ? "stop requested" : $"nothing to do: the instance is already {instance.Status.ToString().ToUpperInvariant()}";
        }
        catch (InstanceNotFoundException)
        {
            return null;
        }

        await RecordAsync(new OpsAuditEntry(who.KeyId, who.Name, OpsActions.TerminateInstance, instanceId.ToString(), instanceId, outcome, now), cancellationToken);
        return outcome;
    }

    /// <returns>What happened, in words for the page's notice; null when there is no such delivery.</returns>
    public async Task<string?> RedeliverAsync(ClaimsPrincipal user, Guid deliveryId, CancellationToken cancellationToken)
    {
        var who = await OpsOperator.OfAsync(user, dbFactory, cancellationToken);
        var result = await deliveries.RedeliverAsync(owner: null, deliveryId, cancellationToken);
        if (result == RedeliveryResult.NotFound)
        {
            return null;
        }

        var outcome = result == RedeliveryResult.Redelivered ? "redelivery scheduled" : "nothing to do: the delivery is still being tried";
        Guid? instanceId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            instanceId = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == deliveryId).Select(d => d.InstanceId).SingleAsync(cancellationToken);
        }

        await RecordAsync(new OpsAuditEntry(who.KeyId, who.Name, OpsActions.RedeliverWebhook, deliveryId.ToString(), instanceId, outcome, clock.GetUtcNow()), cancellationToken);
        return outcome;
    }

    private async Task RecordAsync(OpsAuditEntry entry, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.OpsAudit.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }
}
