using Provisioner.Client.Models;

namespace Provisioner.Client.Waiting;

/// <summary>How <see cref="ProvisionerClient.WaitUntilReadyAsync"/> and <see cref="ProvisionerClient.WaitUntilFinishedAsync"/> wait.</summary>
public sealed record WaitOptions
{
    /// <summary>The first pause between reads, against a server that does not hold them. Default 0.5 s.</summary>
    public TimeSpan InitialPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The pause grows by half each read up to this. Default 5 s.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the server may hold each read waiting for a change (<c>Prefer: wait</c>; the server caps it, 30 s by
    /// default, and it is kept under half the <see cref="HttpClient.Timeout"/>). Default 25 s.
    /// </summary>
    public TimeSpan ServerWait { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Give up (<see cref="TimeoutException"/>) after this long. Default 15 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Called, and awaited, each time the instance is read and has changed (status or update time): a progress display
    /// can read more (events, attempts) before the next poll.
    /// </summary>
    public Func<Instance, CancellationToken, Task>? OnChange { get; init; }

    /// <summary>A webhook receiver's signal: a notified change ends the current pause at once.</summary>
    public InstanceChangeSignal? Signal { get; init; }
}
