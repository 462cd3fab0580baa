using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// Reads every ready machine's state, stop time and health from its cloud, every <see cref="LifecycleOptions.WatchInterval"/>,
/// through the port's batch read (<see cref="ICloudProvider.ReadStatesAsync"/>: one per region, in as few calls as the cloud
/// allows, each drawing on the account's API budget), never one call per machine; a machine absent from the answer is gone. A machine stopped, reclaimed or terminated
/// outside us ends its instance as <see cref="Instance.MarkInterrupted">interrupted</see>, billed until the cloud's stop
/// time; one failing the cloud's health checks for longer than <see cref="LifecycleOptions.ImpairedAfter"/> is interrupted too
/// (<see cref="ImpairedMachine"/>). A region that cannot be read is skipped (its machines are looked at next time) and the others go on;
/// each pass leaves its outcome in <see cref="MachineWatchState"/>, for the Reconciliation page and <c>/health/ready</c>.
/// </summary>
public sealed class MachineWatch(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    ICloudProviderResolver providers,
    InstanceUpdater updater,
    IOptions<LifecycleOptions> lifecycle,
    TimeProvider clock,
    ILogger<MachineWatch> logger)
{
    public async Task<IReadOnlyList<MachineWatchRun>> WatchAllAsync(CancellationToken cancellationToken)
    {
        var runs = new List<MachineWatchRun>();
        foreach (var provider in providers.All)
        {
            runs.Add(await WatchAsync(provider, cancellationToken));
        }

        return runs;
    }

    public async Task<MachineWatchRun> WatchAsync(ICloudProvider provider, CancellationToken cancellationToken)
    {
        List<Instance> watched;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Before READY the readiness step looks at the machine; once stopping, the terminate step does.
            watched = await db.Instances.AsNoTracking()
                .Where(i => i.Backend == provider.Name && i.CloudInstanceId != null
                    && (i.Status == InstanceStatus.Ready || i.Status == InstanceStatus.Running))
                .ToListAsync(cancellationToken);
        }

        if (watched.Count == 0)
        {
            // Nothing to watch: no call is spent.
            await RecordAsync(provider.Name, 0, null, cancellationToken);
            return new MachineWatchRun(provider.Name, 0, 0, []);
        }

        var states = new Dictionary<string, CloudMachineStatus>(StringComparer.Ordinal);
        var unreadRegions = new SortedSet<string>(StringComparer.Ordinal);
        var unread = new List<UnreadRegion>();
        foreach (var region in watched.GroupBy(i => i.Region, StringComparer.Ordinal))
        {
            try
            {
                // One batch read per region: the adapter spends as few calls as its cloud allows, each on the API budget.
                var read = await provider.ReadStatesAsync(region.Key, [.. region.Select(i => i.CloudInstanceId!)], cancellationToken);
                foreach (var state in read)
                {
                    states[state.CloudInstanceId] = state;
                }
            }
            catch (CloudProviderException error)
            {
                // That region's machines are read next period; the other regions go on.
                logger.WatchNotRead(error, provider.Name, region.Key);
                unreadRegions.Add(region.Key);
                unread.Add(new UnreadRegion(region.Key, error));
            }
        }

        var interrupted = 0;
        foreach (var record in watched)
        {
            if (unreadRegions.Contains(record.Region))
            {
                continue;
            }

            // Absent from the answer: the cloud no longer holds the machine.
            var machine = states.GetValueOrDefault(record.CloudInstanceId!);
            var found = Interruption.Of(record.CloudInstanceId!, machine);
            if (found is null && !ImpairedMachine.Concerns(record, machine))
            {
                continue;
            }

            var moved = await updater.UpdateAsync(record.Id, (instance, now, _) =>
            {
                // Stopped, failed or re-launched meanwhile: whoever moved it owns it now.
                if (instance.Status is not (InstanceStatus.Ready or InstanceStatus.Running) || instance.CloudInstanceId != record.CloudInstanceId)
                {
                    return false;
                }

                // A machine failing its checks past the setting is interrupted like one stopped outside; until then its first
                // impaired report is kept (or forgotten once it passes again).
                if ((found ?? ImpairedMachine.Judge(instance, machine!, lifecycle.Value.ImpairedAfter, now)) is not { } interruption)
                {
                    return false;
                }

                // Entering Failed schedules the terminate step when the machine may still be held (a stopped machine keeps its disk).
                instance.MarkInterrupted(interruption.Reason, interruption.StoppedAt, interruption.MachineGone, now);
                return true;
            }, cancellationToken);
            if (moved)
            {
                interrupted++;
                logger.Interrupted(record.Id, found?.Reason ?? "impaired past Lifecycle:ImpairedAfter");
            }
        }

        await RecordAsync(provider.Name, watched.Count, PartialRuns.Summary(unread, null), cancellationToken);
        return new MachineWatchRun(provider.Name, watched.Count, interrupted, [.. unreadRegions]);
    }

    /// <summary>Overwrites the cloud's watch state: what the Reconciliation page shows and <c>/health/ready</c> reads.</summary>
    private async Task RecordAsync(string backend, int watched, string? error, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.MachineWatchStates.SingleOrDefaultAsync(s => s.Backend == backend, cancellationToken);
        if (state is null)
        {
            state = new MachineWatchState(backend);
            db.MachineWatchStates.Add(state);
        }

        state.Record(clock.GetUtcNow(), watched, error);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What the watch concludes from one machine's state.</summary>
    internal sealed record Interruption(string Reason, DateTimeOffset? StoppedAt, bool MachineGone)
    {
        /// <returns>Null while the machine still runs (or boots: a restart outside us is not an interruption yet).</returns>
        public static Interruption? Of(string cloudId, CloudMachineStatus? machine) => machine switch
        {
            null => new($"the cloud no longer has machine {cloudId} (terminated outside the provisioner)", null, MachineGone: true),
            { State: CloudMachineState.Terminated } => new($"machine {cloudId} was terminated outside the provisioner{At(machine)}", machine.StoppedAt, MachineGone: true),
            { State: CloudMachineState.Failed, Failure: { } failure } =>
                new($"{failure.Provider} reports machine {cloudId} {failure.CloudCode}: {failure.CloudMessage}{At(machine)}", machine.StoppedAt, MachineGone: false),
            { State: CloudMachineState.Failed } => new($"the cloud gave up on machine {cloudId}{At(machine)}", machine.StoppedAt, MachineGone: false),
            { State: CloudMachineState.ShuttingDown } => new($"machine {cloudId} is being stopped outside the provisioner{At(machine)}", machine.StoppedAt, MachineGone: false),
            _ => null,
        };

        private static string At(CloudMachineStatus machine) =>
            machine.StoppedAt is { } at ? string.Create(CultureInfo.InvariantCulture, $" (stopped at {at:O})") : string.Empty;
    }
}

/// <summary>One pass of the machine watch over one cloud.</summary>
/// <param name="Watched">Ready machines whose state was read.</param>
/// <param name="Interrupted">Instances ended as interrupted by this pass.</param>
/// <param name="UnreadRegions">Regions this pass could not read (a failing call); their machines are read next period.</param>
public sealed record MachineWatchRun(string Backend, int Watched, int Interrupted, IReadOnlyList<string> UnreadRegions);
