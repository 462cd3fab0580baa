using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>The recurring <see cref="LifecycleSweeper"/>; one run at a time across the cluster.</summary>
[DisallowConcurrentExecution]
internal sealed class LifecycleSweepJob(LifecycleSweeper sweeper) : IJob
{
    public static readonly JobKey Key = new("lifecycle-sweep", "recurring");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sweeper.SweepAsync(cancellationToken);
}
