namespace Provisioner.Core.Providers;

/// <summary>
/// The port every cloud adapter implements: provisioning verbs in domain terms. Adapters classify their
/// cloud's failures into <see cref="CloudProviderException"/> at this edge; nothing above sees an SDK type.
/// </summary>
/// <remarks>
/// <para><b>Idempotency, in every adapter.</b> A launch is keyed by <see cref="LaunchSpec.IdempotencyToken"/>,
/// derived from our instance id, and every adapter makes the repeat of a launch harmless:</para>
/// <list type="number">
/// <item>A cloud with a client token (EC2's <c>ClientToken</c>) gets the token and enforces it itself.</item>
/// <item>A cloud without one creates the machine under a <b>name derived from the token</b> (unique per
/// account or resource group), so a second create cannot make a second machine.</item>
/// <item>Where the name is not unique on the cloud's side, the adapter <b>finds before it creates</b>: it
/// looks the token's machine up (by name or ownership tag) and returns it when it exists.</item>
/// <item>Where a create is really an upsert (ARM's PUT), the adapter <b>compares before it updates</b>: a
/// machine found under the token with a different spec is refused as
/// <see cref="CloudErrorKind.InvalidRequest"/> (<c>IdempotentParameterMismatch</c>), never changed in place.</item>
/// </list>
/// <para>Every machine also carries the ownership tags (or, where a cloud has no tags, a name that encodes
/// them) so <see cref="ListOwnedAsync"/> finds ours and only ours.</para>
/// </remarks>
public interface ICloudProvider
{
    /// <summary>The backend's name as recorded on the instances it serves (e.g. <c>SIMULATED</c>).</summary>
    string Name { get; }

    /// <summary>What this adapter can do: requests asking for anything else are refused before they are accepted.</summary>
    ProviderCapabilities Capabilities { get; }

    /// <summary>
    /// Starts one machine. Idempotent by <see cref="LaunchSpec.IdempotencyToken"/> (see the remarks): a repeated
    /// call with the same token and spec returns the machine the first call started and never starts a second
    /// one; the same token with a different spec fails as <see cref="CloudErrorKind.InvalidRequest"/>.
    /// Capacity and quota refusals are thrown at once, never retried inside the adapter; nor is anything else:
    /// retries belong to the caller's resilience pipeline, so two layers never multiply calls.
    /// </summary>
    Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// The machine as the cloud sees it now, or null when the cloud does not know it. Right after a launch
    /// some clouds do not list the machine yet (eventual consistency): callers treat null as "gone" only
    /// once the machine is older than their grace period. A machine the cloud gave up on (an allocation that
    /// failed after the create was accepted, a spot request refused or reclaimed) is
    /// <see cref="CloudMachineState.Failed"/> with <see cref="CloudMachine.Failure"/> in the cloud's words.
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
    /// Asks the cloud to stop and delete the machine. Terminating a machine that is unknown, already gone or
    /// going is <b>success</b>, never <see cref="CloudErrorKind.NotFound"/>: the caller wants it gone, and it is.
    /// Returns without waiting for the machine to be gone: <see cref="DescribeAsync"/> tells that.
    /// </summary>
    Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken);

    /// <summary>
    /// The state, stop time and health of <paramref name="cloudInstanceIds"/> in <paramref name="region"/>, for the machine
    /// watch, in as few calls as the cloud allows and never one per machine: EC2's DescribeInstanceStatus with
    /// <c>IncludeAllInstances</c> (100 ids a call), ARM's VM list of the resource group with its instance views (paged), Novita's
    /// instance list by our name prefix (paged). A machine the cloud no longer holds is absent from the answer; one it still
    /// reports (stopped, terminated) is there in that state. Any failing call fails the answer as a whole, classified: the
    /// caller concludes nothing about that region's machines. Read-only; every call draws on the account's API budget.
    /// </summary>
    /// <remarks>The default reads each machine by itself (<see cref="DescribeAsync"/>), for an adapter with no batch call.</remarks>
    async Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken)
    {
        var states = new List<CloudMachineStatus>(cloudInstanceIds.Count);
        foreach (var id in cloudInstanceIds)
        {
            if (await DescribeAsync(region, id, cancellationToken) is { } machine)
            {
                states.Add(CloudMachineStatus.Of(machine));
            }
        }

        return states;
    }

    /// <summary>
    /// One page of the machines this system launched that the cloud still holds (not yet terminated), found by
    /// our ownership tags, across every region the adapter serves. Never lists machines we did not launch.
    /// Start with a null <paramref name="pageToken"/> and pass each page's <see cref="CloudMachinePage.NextPageToken"/>
    /// until it is null. Each page is one bounded call, so a caller can give each its own timeout and a large
    /// account never makes one call long enough to trip a circuit.
    /// </summary>
    Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken);

    /// <summary>
    /// What the cloud sells in <paramref name="regions"/>, from the cloud's own list (EC2's instance-type offerings, ARM's
    /// resource SKUs, Novita's products per cluster), spelled as the cloud spells it. Limited to the families of
    /// <paramref name="instanceTypes"/> (the catalog's names): what the catalog has no family of is not its concern.
    /// Read-only and cheap to repeat; a region the cloud does not serve answers no types rather than failing, and a
    /// type the cloud refuses to sell in a region (a restriction on the account) is not listed there.
    /// </summary>
    Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken);

    /// <summary>
    /// The regions the cloud itself lists for the account (Novita's clusters), for the catalog check to compare the
    /// catalog's regions with; read-only. Null where the cloud keeps no such list for us: an EC2 or ARM region is chosen
    /// in settings and served by an endpoint of its own, and the simulated cloud serves any region it is asked about.
    /// </summary>
    Task<IReadOnlyList<string>?> ListRegionsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>?>(null);
}
