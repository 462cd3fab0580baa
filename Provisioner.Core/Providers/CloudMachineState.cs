namespace Provisioner.Core.Providers;

/// <summary>A machine's state in cloud-neutral terms; each adapter maps its cloud's states onto these.</summary>
public enum CloudMachineState
{
    /// <summary>Accepted, not yet running (EC2 <c>pending</c>, ARM <c>Creating</c>).</summary>
    Pending,

    /// <summary>Running with addresses, not yet passing its checks (EC2 <c>running</c> before its status checks pass).</summary>
    Initializing,

    /// <summary>Running and passing its checks: usable.</summary>
    Running,

    /// <summary>Being stopped or deleted.</summary>
    ShuttingDown,

    /// <summary>Gone.</summary>
    Terminated,

    /// <summary>
    /// The cloud gave up on the machine and it will never run (again): an allocation that failed after the
    /// create was accepted, a spot request refused late or reclaimed. <see cref="CloudMachine.Failure"/> says why,
    /// classified. Some clouds keep a failed machine's resources until it is deleted, so it is still terminated
    /// like any other; once that is asked for, a caller may count it as gone.
    /// </summary>
    Failed,
}
