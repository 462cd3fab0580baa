using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Provisioner.Core.Catalog;
using Provisioner.Core.Jobs;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Instances;

/// <summary>What a client can ask of instances. Each command writes its record and its job in one transaction.</summary>
public sealed class InstanceCommands(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    IInstanceWorkQueue queue,
    InstanceUpdater updater,
    InstanceTypeCatalog catalog,
    TimeProvider clock)
{
    /// <summary>Records the request and schedules its launch and its auto-termination deadline.</summary>
    public async Task<Instance> CreateAsync(string owner, InstanceSpec spec, CancellationToken cancellationToken)
    {
        if (!catalog.TryFind(spec.Provider, spec.InstanceType, out var offer))
        {
            throw new ArgumentException($"{spec.Provider} does not offer {spec.InstanceType}.", nameof(spec));
        }

        var now = clock.GetUtcNow();
        var instance = Instance.Create(Guid.CreateVersion7(now), owner, spec, offer.PricePerHour, now);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Instances.Add(instance);
        await db.SaveChangesAsync(cancellationToken);
        await queue.ScheduleAndCommitAsync(transaction.GetDbTransaction(),
        [
            new InstanceWork(InstanceWorkKind.Create, instance.Id, now),
            new InstanceWork(InstanceWorkKind.AutoTerminate, instance.Id, instance.AutoTerminateAt),
        ], cancellationToken);
        return instance;
    }

    /// <summary>
    /// Asks for the instance to be stopped. A repeat, or a request for a finished instance, changes nothing.
    /// </summary>
    /// <returns>The instance after the request, and whether this call started the stop.</returns>
    public async Task<(Instance Instance, bool Started)> RequestTerminationAsync(string owner, Guid instanceId, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var visible = await db.Instances.AnyAsync(i => i.Id == instanceId && i.Owner == owner, cancellationToken);
            if (!visible)
            {
                throw new InstanceNotFoundException(instanceId);
            }
        }

        Instance? result = null;
        var started = await updater.UpdateAsync(instanceId, (instance, now, work) =>
        {
            result = instance;
            if (!instance.RequestStop("termination requested by the client", now))
            {
                return false;
            }

            work.Add(new InstanceWork(InstanceWorkKind.Terminate, instance.Id, now));
            return true;
        }, cancellationToken);
        return (result!, started);
    }
}
