using System.ComponentModel;

namespace Provisioner.Core.Jobs;

/// <summary>The recurring jobs, declared here for the same reason as <see cref="IInstanceJobs"/>.</summary>
public interface IMaintenanceJobs
{
    [DisplayName("Lifecycle sweep")]
    Task Sweep(CancellationToken cancellationToken);

    [DisplayName("Reconcile clouds")]
    Task Reconcile(CancellationToken cancellationToken);

    [DisplayName("Watch ready machines")]
    Task WatchMachines(CancellationToken cancellationToken);

    [DisplayName("Roll up costs")]
    Task RollUpCosts(CancellationToken cancellationToken);

    [DisplayName("Check the catalog against the clouds")]
    Task CheckCatalog(CancellationToken cancellationToken);

    [DisplayName("Archive finished instances")]
    Task ApplyRetention(CancellationToken cancellationToken);

    [DisplayName("Refill warm pools")]
    Task RefillPools(CancellationToken cancellationToken);
}
