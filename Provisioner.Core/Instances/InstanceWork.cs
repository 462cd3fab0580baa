namespace Provisioner.Core.Instances;

/// <summary>The kinds of work done on an instance, each carried out by one job.</summary>
public enum InstanceWorkKind
{
    /// <summary>Ask the cloud for the machine.</summary>
    Create,

    /// <summary>Look at the machine until it is ready (a delayed re-check, never a parked thread).</summary>
    AwaitReady,

    /// <summary>Stop the machine and confirm it gone.</summary>
    Terminate,

    /// <summary>The instance's deadline: stop it, whatever it is doing.</summary>
    AutoTerminate,

    /// <summary>Stop the instance if its heartbeats have stopped for its idle limit.</summary>
    IdleCheck,

    /// <summary>After an interruption, place the instance on its plan's next usable offer and launch it again.</summary>
    Relaunch,

    /// <summary>Terminate the machines an instance lost to interruptions, where the cloud still holds them, and confirm them gone.</summary>
    ReleaseMachines,
}

/// <summary>One piece of work for one instance, due at <see cref="RunAt"/>.</summary>
public sealed record InstanceWork(InstanceWorkKind Kind, Guid InstanceId, DateTimeOffset RunAt);
