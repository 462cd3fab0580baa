using Provisioner.Core.Reconciliation;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>The recurring <see cref="CloudReconciler"/>; one run at a time across the cluster.</summary>
[DisallowConcurrentExecution]
internal sealed class ReconcileCloudsJob(CloudReconciler reconciler) : IJob
{
    public static readonly JobKey Key = new("reconcile-clouds", "recurring");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await reconciler.ReconcileAllAsync(cancellationToken);
}
