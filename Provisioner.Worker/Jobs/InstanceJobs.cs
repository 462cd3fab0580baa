using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// The engine's entry points for instance work: each hands its delivery to the one runner. The engine's token
/// fires as soon as a drain (SIGTERM) begins; a step is short (its cloud calls have their own timeouts) and is
/// let finish so its outcome and follow-up are recorded, within Worker:ShutdownTimeout.
/// </summary>
internal sealed class InstanceJobs(InstanceWorkRunner runner) : IInstanceJobs
{
    public Task Launch(Guid instanceId, Guid ticket, CancellationToken _) =>
        runner.RunAsync(InstanceWorkKind.Create, instanceId, ticket, CancellationToken.None);

    public Task AwaitReady(Guid instanceId, Guid ticket, CancellationToken _) =>
        runner.RunAsync(InstanceWorkKind.AwaitReady, instanceId, ticket, CancellationToken.None);

    public Task Terminate(Guid instanceId, Guid ticket, CancellationToken _) =>
        runner.RunAsync(InstanceWorkKind.Terminate, instanceId, ticket, CancellationToken.None);

    public Task AutoTerminate(Guid instanceId, Guid ticket, CancellationToken _) =>
        runner.RunAsync(InstanceWorkKind.AutoTerminate, instanceId, ticket, CancellationToken.None);

    public Task CheckIdle(Guid instanceId, Guid ticket, CancellationToken _) =>
        runner.RunAsync(InstanceWorkKind.IdleCheck, instanceId, ticket, CancellationToken.None);
}
