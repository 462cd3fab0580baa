using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>Runs <see cref="AwaitInstanceReady"/> for the instance on the trigger.</summary>
internal sealed class AwaitInstanceReadyJob(AwaitInstanceReady step) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await step.RunAsync(InstanceJobData.ReadInstanceId(context), InstanceJobData.IsFinalAttempt(context), cancellationToken);
}
