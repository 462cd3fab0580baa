using Hangfire.Common;
using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>The engine's job for one pending item: the <see cref="IInstanceJobs"/> method of its kind, on the lifecycle queue.</summary>
internal static class InstanceJobFactory
{
    public static Job For(InstanceWorkKind kind, Guid instanceId, Guid ticket) => kind switch
    {
        InstanceWorkKind.Create => Job.FromExpression<IInstanceJobs>(j => j.Launch(instanceId, ticket, CancellationToken.None), JobQueues.Lifecycle),
        InstanceWorkKind.AwaitReady => Job.FromExpression<IInstanceJobs>(j => j.AwaitReady(instanceId, ticket, CancellationToken.None), JobQueues.Lifecycle),
        InstanceWorkKind.Terminate => Job.FromExpression<IInstanceJobs>(j => j.Terminate(instanceId, ticket, CancellationToken.None), JobQueues.Lifecycle),
        InstanceWorkKind.AutoTerminate => Job.FromExpression<IInstanceJobs>(j => j.AutoTerminate(instanceId, ticket, CancellationToken.None), JobQueues.Lifecycle),
        InstanceWorkKind.IdleCheck => Job.FromExpression<IInstanceJobs>(j => j.CheckIdle(instanceId, ticket, CancellationToken.None), JobQueues.Lifecycle),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
