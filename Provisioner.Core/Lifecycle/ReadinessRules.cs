using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;
using Provisioner.Core.Providers;

namespace Provisioner.Core.Lifecycle;

/// <summary>
/// How a machine's state moves a booting instance along, shared by the launch (whose answer may already say
/// "running") and by the looks that follow, so an instance never waits a poll for what the cloud already said.
/// </summary>
internal static class ReadinessRules
{
    /// <summary>The shortest wait between looks at a machine that has only just been launched.</summary>
    private static readonly TimeSpan FirstLookBackOff = TimeSpan.FromMilliseconds(100);

    /// <summary>Moves the instance as far as <paramref name="machine"/>'s state allows.</summary>
    /// <returns>True when the instance is Ready; false when the machine must be looked at again.</returns>
    /// <remarks>Entering Ready schedules the idle check, if the instance has an idle limit (<see cref="InstanceLifecycle"/>).</remarks>
    public static bool Advance(Instance instance, CloudMachine machine, DateTimeOffset now)
    {
        instance.RecordMetadata(machine.Metadata);
        if (machine.State is not (CloudMachineState.Initializing or CloudMachineState.Running))
        {
            return false;
        }

        if (instance.Status == InstanceStatus.Provisioning)
        {
            instance.MarkConfiguring(machine.PublicIp, machine.PrivateIp, now);
        }

        if (machine.State != CloudMachineState.Running)
        {
            return false;
        }

        instance.MarkReady(now);
        return true;
    }

    /// <summary>
    /// When to look next: soon after the launch (a fast machine is seen at once), backing off with the time
    /// already spent waiting up to <see cref="LifecycleOptions.ReadyPollInterval"/>.
    /// </summary>
    public static DateTimeOffset NextLook(Instance instance, DateTimeOffset now, LifecycleOptions settings)
    {
        var waited = now - (instance.LaunchRequestedAt ?? now);
        var backOff = waited / 2;
        if (backOff < FirstLookBackOff)
        {
            backOff = FirstLookBackOff;
        }

        return now + (backOff < settings.ReadyPollInterval ? backOff : settings.ReadyPollInterval);
    }
}
