namespace Provisioner.Core.Instances;

/// <summary>How one offer of a launch ended.</summary>
public enum LaunchAttemptOutcome
{
    /// <summary>The cloud accepted the launch.</summary>
    Launched,

    /// <summary>The cloud had no capacity: the launch moved to the next offer.</summary>
    Refused,

    /// <summary>Not asked: another launch had just been refused there (the shared unavailable offerings).</summary>
    Skipped,

    /// <summary>The cloud refused for another reason (quota, an invalid request, retries spent): the instance failed.</summary>
    Failed,

    /// <summary>The machine launched here was taken away after READY (reclaimed, stopped outside) and the instance relaunched elsewhere.</summary>
    Interrupted,

    /// <summary>A warm pool had a free machine of the offer: the instance took it instead of launching.</summary>
    Warm,
}
