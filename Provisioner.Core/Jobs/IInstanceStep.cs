using Provisioner.Core.Instances;

namespace Provisioner.Core.Jobs;

/// <summary>
/// A lifecycle step, as <see cref="InstanceWorkRunner"/> runs it for a kind of work (<see cref="InstanceWorkKinds"/>):
/// ask the cloud, then record the answer through the instance's own methods.
/// </summary>
public interface IInstanceStep
{
    /// <param name="kind">The kind being run, for a step that serves more than one (termination and the deadline).</param>
    /// <param name="attempt">On the last one a retryable cloud failure must settle the instance instead of asking for a retry.</param>
    Task<StepOutcome> RunAsync(Guid instanceId, InstanceWorkKind kind, WorkAttempt attempt, CancellationToken cancellationToken);
}
