using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>Runs <see cref="LaunchInstance"/> for the instance on the trigger.</summary>
internal sealed class CreateInstanceJob(LaunchInstance step) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await step.RunAsync(InstanceJobData.ReadInstanceId(context), InstanceJobData.IsFinalAttempt(context), cancellationToken);
}
