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

    /// <summary>Per backend (AWS, AZURE, NOVITA, SIMULATED): the account and any limits that differ from the published ones.</summary>
    public Dictionary<string, CloudApiBudget> Providers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first limit that is out of range, for the start-up check; null when all are fine.</summary>
    public string? FirstInvalid() =>
        Providers.SelectMany(p => p.Value.Actions.Select(a => (Key: $"{Section}:Providers:{p.Key}:Actions:{a.Key}", Limit: a.Value)))
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
