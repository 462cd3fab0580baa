using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>Runs <see cref="TerminateInstance"/> for the instance on the trigger (a DELETE, or the deadline).</summary>
internal sealed class TerminateInstanceJob(TerminateInstance step) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await step.RunAsync(
            InstanceJobData.ReadInstanceId(context), InstanceJobData.ReadKind(context), InstanceJobData.IsFinalAttempt(context), cancellationToken);
}
