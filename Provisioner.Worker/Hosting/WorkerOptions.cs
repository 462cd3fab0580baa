using System.ComponentModel.DataAnnotations;

namespace Provisioner.Worker.Hosting;

/// <summary>The worker process itself. Section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>
    /// How long SIGTERM waits for running steps to finish (the drain). A supervisor's grace period
    /// (Kubernetes' <c>terminationGracePeriodSeconds</c>) must be longer. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The worker's CPU niceness, 0 (as started) to 19 (yields to everything else). On a machine the worker shares with
    /// the API, a high value lets the API answer first while job steps wait their turn (<see cref="CpuPriority"/>);
    /// where a container or a cgroup of its own holds the worker, its CPU share there is what counts. Default 0;
    /// <c>deploy/local/up.sh</c>, which runs everything on one machine, sets 10.
    /// </summary>
    [Range(0, 19)]
    public int Nice { get; set; }
}
