using Provisioner.Core.Lifecycle;
using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>Runs <see cref="CheckInstanceIdle"/> for the instance on the trigger.</summary>
internal sealed class CheckInstanceIdleJob(CheckInstanceIdle step) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await step.RunAsync(InstanceJobData.ReadInstanceId(context), cancellationToken);
}
