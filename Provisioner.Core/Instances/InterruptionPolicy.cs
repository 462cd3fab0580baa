namespace Provisioner.Core.Instances;

/// <summary>What the client asked to happen when the cloud takes its machine away after READY (request field <c>onInterruption</c>).</summary>
public enum InterruptionPolicy
{
    /// <summary>The instance ends FAILED with reason class <c>Interrupted</c> and what is left of the machine is released (the default).</summary>
    Fail,

    /// <summary>
    /// The instance, keeping its id, is placed again on its plan's next usable offer and launched on a new machine, up to
    /// <c>Lifecycle:MaxInterruptions</c> times; the interruption after that fails it as <see cref="Fail"/> does.
    /// </summary>
    Relaunch,
}

/// <summary>The request's and the response's spelling of <see cref="InterruptionPolicy"/>: <c>fail</c> or <c>relaunch</c>.</summary>
public static class InterruptionPolicyNames
{
    public static readonly IReadOnlyList<string> All = ["fail", "relaunch"];

    public static string Of(InterruptionPolicy policy) => policy == InterruptionPolicy.Relaunch ? "relaunch" : "fail";

    public static bool TryParse(string? name, out InterruptionPolicy policy)
    {
        policy = name switch { "relaunch" => InterruptionPolicy.Relaunch, _ => InterruptionPolicy.Fail };
        return name is "fail" or "relaunch";
    }
}
