using Provisioner.Core.ApiBudgets;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// The cloud API budgets every worker shares. Section <c>Resilience:Budgets</c>; a provider's own under
/// <c>Resilience:Budgets:Providers:{BACKEND}</c>, e.g. <c>Resilience:Budgets:Providers:AWS:Actions:RunInstances:Capacity</c>.
/// Limits not set are the cloud's published ones (<see cref="CloudApiActions.DefaultLimits"/>).
/// </summary>
public sealed class CloudApiBudgetOptions
{
    public const string Section = "Resilience:Budgets";

    /// <summary>Whether calls draw on the shared budgets at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How much later than our first call from a full bucket the cloud's own bucket is taken to start refilling: the
    /// call reaches the cloud after our commit, its way through the process and the network, and the cloud counts its
    /// refill from then. A budget counting from our side would send every later call that much early, and the first
    /// whose way happened to be quicker would meet an empty cloud bucket (measured: one throttled RunInstances in 61
    /// with the lag at zero, the first calls of a burst reaching the cloud 20 to 70 ms after their draw and later ones
    /// 1 to 10 ms after). It costs a burst once this much refill (0.5 of RunInstances' tokens at 2/s), not per call.
    /// Default 250 ms; raise it for a cloud far away on the network.
    /// </summary>
    public TimeSpan CloudRefillLag { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Per backend (AWS, AZURE, NOVITA, SIMULATED): the account and any limits that differ from the published ones.</summary>
    public Dictionary<string, CloudApiBudget> Providers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first limit that is out of range, for the start-up check; null when all are fine.</summary>
    public string? FirstInvalid() =>
        CloudRefillLag < TimeSpan.Zero || CloudRefillLag > TimeSpan.FromSeconds(10)
            ? $"{Section}:CloudRefillLag must be between 00:00:00 and 00:00:10 (got {CloudRefillLag})."
            : Providers.SelectMany(p => p.Value.Actions.Select(a => (Key: $"{Section}:Providers:{p.Key}:Actions:{a.Key}", Limit: a.Value)))
                .Where(a => a.Limit.Capacity < 1 || a.Limit.RefillPerSecond <= 0)
                .Select(a => $"{a.Key}: Capacity must be at least 1 and RefillPerSecond above 0 (got {a.Limit}).")
                .FirstOrDefault();
}

/// <summary>One backend's budgets.</summary>
public sealed class CloudApiBudget
{
    /// <summary>
    /// The account the budgets belong to; backends sharing one cloud account should name the same one. Default the
    /// backend's name (one backend, one set of credentials).
    /// </summary>
    public string? Account { get; set; }

    /// <summary>Limits by the cloud's action name (<c>RunInstances</c>, <c>TerminateInstances</c>, <c>Describe</c>, <c>Writes</c>, <c>Reads</c>, <c>Requests</c>).</summary>
    public Dictionary<string, ApiLimit> Actions { get; } = new(StringComparer.OrdinalIgnoreCase);
}
