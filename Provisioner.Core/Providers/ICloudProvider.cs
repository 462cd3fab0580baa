namespace Provisioner.Core.Providers;

/// <summary>
/// The port every cloud adapter implements: provisioning verbs in domain terms. Adapters classify their
/// cloud's failures into <see cref="CloudProviderException"/> at this edge; nothing above sees an SDK type.
/// </summary>
public interface ICloudProvider
{
    /// <summary>The backend's name as recorded on the instances it serves (e.g. <c>SIMULATED</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Starts one machine. Idempotent by <see cref="LaunchSpec.IdempotencyToken"/>: a repeated call with the
    /// same token and spec returns the machine the first call started and never starts a second one; the same
    /// token with a different spec fails as <see cref="CloudErrorKind.InvalidRequest"/>. The machine carries
    /// the ownership tags of <see cref="LaunchSpec"/> so <see cref="ListOwnedAsync"/> can find it.
    /// </summary>
    Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// The machine as the cloud sees it now, or null when the cloud does not know it. Right after a launch
    /// some clouds do not list the machine yet (eventual consistency): callers treat null as "gone" only
    /// once the machine is older than their grace period.
    /// </summary>
    /// <param name="region">Where the machine runs: clouds address machines per region, and limit calls per region.</param>
    Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken);

    /// <summary>
    /// The machine launched for our instance <paramref name="instanceId"/>, found by its ownership tag, or null
    /// when the cloud holds none (yet: a launch a moment ago may not be listed). Used when a launch's answer
    /// was lost and only the cloud knows whether a machine was started.
    /// </summary>
    Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the cloud to stop and delete the machine. Terminating a machine that is already gone, or going,
    /// is success. Returns without waiting for the machine to be gone: <see cref="DescribeAsync"/> tells that.
    /// </summary>
    Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Every machine this system launched that the cloud still holds (not yet terminated), found by our
    /// ownership tags, in every region the adapter serves. Never lists machines we did not launch.
    /// </summary>
    Task<IReadOnlyList<CloudMachine>> ListOwnedAsync(CancellationToken cancellationToken);
}
