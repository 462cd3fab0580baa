using System.Globalization;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Reconciliation;

/// <summary>
/// What the machine watch makes of a running machine's health: the first impaired report is kept on the instance, a machine
/// passing its checks again is forgiven, and one impaired for longer than <c>Lifecycle:ImpairedAfter</c> (measured from the
/// cloud's first report) is an interruption in the cloud's words. Unknown health concludes nothing.
/// </summary>
internal static class ImpairedMachine
{
    /// <summary>Whether the machine's health changes anything on the instance, so the watch writes only then.</summary>
    public static bool Concerns(Instance record, CloudMachineStatus? machine) => machine?.Health switch
    {
        CloudMachineHealth.Impaired => true,
        CloudMachineHealth.Ok => record.ImpairedSince is not null,
        _ => false,
    };

    /// <summary>Notes the machine's health on <paramref name="instance"/>.</summary>
    /// <returns>The interruption once impaired past <paramref name="impairedAfter"/>; null otherwise.</returns>
    public static MachineWatch.Interruption? Judge(Instance instance, CloudMachineStatus machine, TimeSpan impairedAfter, DateTimeOffset now)
    {
        if (machine.Health == CloudMachineHealth.Ok)
        {
            instance.NoteHealthy(now);
            return null;
        }

        if (machine.Health != CloudMachineHealth.Impaired)
        {
            return null;
        }

        instance.NoteImpaired(machine.ImpairedSince ?? now, now);
        var since = instance.ImpairedSince!.Value;
        if (now - since < impairedAfter)
        {
            return null;
        }

        // Billed until now: the cloud bills an impaired machine until it is released, and the client is charged until we
        // give up on it, not for the seconds the terminate step takes.
        var detail = machine.HealthDetail is { Length: > 0 } words ? words : "no detail given";
        return new(string.Create(CultureInfo.InvariantCulture,
            $"machine {machine.CloudInstanceId} failed the cloud's health checks from {since:O} for longer than {impairedAfter.TotalSeconds:0.#} s: {detail}"),
            StoppedAt: null, MachineGone: false);
    }
}
