namespace Provisioner.Core.Providers;

/// <summary>A machine's state in cloud-neutral terms; each adapter maps its cloud's states onto these.</summary>
public enum CloudMachineState
{
    /// <summary>Accepted, not yet running (EC2 <c>pending</c>, ARM <c>Creating</c>).</summary>
    Pending,

    /// <summary>Running with addresses, not yet passing its checks.</summary>
    Initializing,

    /// <summary>Running and passing its checks: usable.</summary>
    Running,

    /// <summary>Being stopped or deleted.</summary>
    ShuttingDown,

    /// <summary>Gone.</summary>
    Terminated,
}
