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
}
