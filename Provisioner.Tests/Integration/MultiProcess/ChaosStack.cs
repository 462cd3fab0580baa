using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>Three workers and a cloud that fails: one call in ten errors, one in ten acts but loses its answer.</summary>
public sealed class ChaosStack : ProvisionerStack
{
    protected override int WorkerCount => 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Simulated__ErrorRate"] = "0.1",
        ["Providers__Simulated__LostResponseRate"] = "0.1",
        ["Providers__Simulated__Latency"] = "00:00:00.200",
        ["Lifecycle__CloudRetryAttempts"] = "10",
        ["Lifecycle__CloudRetryInitialDelay"] = "00:00:00.500",
        ["Lifecycle__CloudRetryMaxDelay"] = "00:00:02",
        ["Lifecycle__SweepInterval"] = "00:00:02",
        ["Lifecycle__RedriveAfter"] = "00:00:10",
        ["Lifecycle__ReconcileInterval"] = "00:00:03",
        ["Lifecycle__OrphanGracePeriod"] = "00:00:15",
        ["Lifecycle__NotFoundGracePeriod"] = "00:00:05",
        // One call in five fails here; a breaker that opens on that (a run of bad luck past 50% in a window) would
        // hold a deadline for its whole 30 s break. Breakers are proven by the resilience tests; here they may open
        // only on a far worse run, and briefly.
        ["Resilience__Defaults__CircuitFailureRatio"] = "0.8",
        ["Resilience__Defaults__CircuitBreakDuration"] = "00:00:02",
    };
}
