using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

/// <summary>
/// The rules of <see cref="ICloudProvider"/>, written once and run against every adapter, each against its own
/// strict fake cloud. An adapter joins by subclassing this with the few things only it knows: how to make its
/// cloud fail, how time passes there, and what a valid launch looks like.
/// </summary>
public abstract partial class CloudProviderContract : IAsyncLifetime
{
    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>The adapter under test, for machines tagged with <paramref name="cluster"/>, listing <paramref name="pageSize"/> a page.</summary>
    protected abstract ICloudProvider Provider(string cluster = "contract", int pageSize = 1000);

    /// <summary>A launch this cloud accepts, for a fresh instance id.</summary>
    protected abstract LaunchSpec Spec();

    /// <summary>Another instance type this cloud offers, to change a spec.</summary>
    protected abstract string OtherInstanceType { get; }

    /// <summary>An id in this cloud's format that no machine has.</summary>
    protected abstract string UnknownMachineId { get; }

    /// <summary>From launch until the machine runs, and from then until it passes its checks.</summary>
    protected abstract TimeSpan BootTime { get; }

    protected abstract TimeSpan ChecksTime { get; }

    /// <summary>From a terminate until the machine is gone.</summary>
    protected abstract TimeSpan ShutdownTime { get; }

    /// <summary>Lets time pass in the fake cloud.</summary>
    protected abstract Task PassAsync(TimeSpan time);

    /// <summary>The error classes this cloud's fake can raise on a launch; a real cloud's adapter must cover them all.</summary>
    protected abstract IReadOnlyCollection<CloudErrorKind> InjectableLaunchErrors { get; }

    /// <summary>Makes the next launch fail the way this cloud says <paramref name="kind"/>; returns the cloud's code for it.</summary>
    protected abstract Task<string> FailNextLaunchAsync(CloudErrorKind kind, LaunchSpec spec);

    /// <summary>Undoes <see cref="FailNextLaunchAsync"/> where the failure does not use itself up.</summary>
    protected abstract void StopFailing();

    /// <summary>
    /// Launch calls that reached the cloud so far, to prove the adapter retries nothing itself; null where the
    /// adapter is the cloud (the simulated one), so there is nothing between them to count.
    /// </summary>
    protected abstract int? LaunchCallsReceived { get; }

    /// <summary>Launches a machine the cloud accepts and then gives up on; returns it and the cloud's code for why.</summary>
    protected abstract Task<(CloudMachine Machine, string Code)> LaunchOneTheCloudGivesUpOnAsync(ICloudProvider sut);

    protected string Region => Spec().Region;
}
