using Provisioner.Core.ApiBudgets;

namespace Provisioner.Worker.Resilience;

/// <summary>
/// Which of a cloud's API limits each port operation draws on, and the limits each cloud publishes
/// (../shared/reference/cloud-apis.md: EC2 1.8, ARM 2.7). Budgets are per account and region, as the clouds count them.
/// </summary>
public static class CloudApiActions
{
    /// <param name="operation">The port's operation as the resilience layer names it: launch, describe, find, terminate, list.</param>
    public static string For(string backend, string operation) => (backend.ToUpperInvariant(), operation) switch
    {
        // EC2 counts per action; describe, find (DescribeInstances by tag) and list are all Describe* calls.
        ("AWS" or "SIMULATED", "launch") => "RunInstances",
        ("AWS" or "SIMULATED", "terminate") => "TerminateInstances",
        ("AWS" or "SIMULATED", _) => "Describe",
        // ARM counts reads and writes (deletes count as writes) per subscription and region.
        ("AZURE", "launch" or "terminate") => "Writes",
        ("AZURE", _) => "Reads",
        _ => "Requests",
    };

    /// <summary>
    /// The published limits, by backend and action. EC2: RunInstances 5 burst refilling 2/s, TerminateInstances 100/5,
    /// Describe* 100/20. ARM: writes 200/10, reads 250/25 per subscription and region (Compute adds limits of its own,
    /// unpublished: set lower ones here if met). NovitaAI publishes none: 20 burst, 10/s is our guess, to be set per
    /// account. The simulated cloud has none unless configured (its own buckets are in its settings).
    /// </summary>
    public static ApiLimit? DefaultLimits(string backend, string action) => (backend.ToUpperInvariant(), action) switch
    {
        ("AWS", "RunInstances") => ApiLimit.Of(5, 2),
        ("AWS", "TerminateInstances") => ApiLimit.Of(100, 5),
        ("AWS", "Describe") => ApiLimit.Of(100, 20),
        ("AZURE", "Writes") => ApiLimit.Of(200, 10),
        ("AZURE", "Reads") => ApiLimit.Of(250, 25),
        ("NOVITA", "Requests") => ApiLimit.Of(20, 10),
        _ => null,
    };
}
