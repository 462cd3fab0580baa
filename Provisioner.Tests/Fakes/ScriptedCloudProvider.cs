using Provisioner.Core.Providers;

namespace Provisioner.Tests.Fakes;

/// <summary>
/// Wraps a real adapter (the simulated cloud) with the failures tests need at exact moments: a launch whose
/// answer is lost after the cloud acted, a hook that runs while a launch is in flight, and call counts.
/// </summary>
public sealed class ScriptedCloudProvider(ICloudProvider inner) : ICloudProvider
{
    private int _launchCalls;
    private int _terminateCalls;

    public string Name => inner.Name;

    public ProviderCapabilities Capabilities => inner.Capabilities;

    /// <summary>The next launches are carried out by the cloud, then their answer is lost (a transient error).</summary>
    public int LoseLaunchAnswers { get; set; }

    /// <summary>Runs after the cloud accepted a launch and before the answer returns: a DELETE arriving mid-call.</summary>
    public Func<LaunchSpec, Task>? WhileLaunching { get; set; }

    /// <summary>Errors the next calls (of any verb) fail with, before reaching the cloud.</summary>
    public Queue<CloudProviderException> FailNext { get; } = new();

    /// <summary>Errors the next lookups by ownership tag (<see cref="FindByInstanceAsync"/>) fail with, before reaching the cloud.</summary>
    public Queue<CloudProviderException> FailNextFind { get; } = new();

    /// <summary>How long each listing page takes, honouring cancellation like a real call: a slow cloud.</summary>
    public TimeSpan ListPageDelay { get; set; }

    /// <summary>Offerings the cloud has no capacity for: a launch there is refused as EC2 refuses it, before reaching the cloud.</summary>
    public Func<LaunchSpec, bool>? NoCapacityFor { get; set; }

    /// <summary>Every launch asked of this cloud, in order, refused or not.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<LaunchSpec> Launches { get; } = new();

    /// <summary>Launches this matches are accepted, then their machines fail for lack of capacity (a late <c>AllocationFailed</c>).</summary>
    public Func<LaunchSpec, bool>? FailLateFor { get; set; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _failingLate = new();

    public int LaunchCalls => _launchCalls;
    public int TerminateCalls => _terminateCalls;

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _launchCalls);
        Launches.Enqueue(spec);
        ThrowIfScripted();
        if (NoCapacityFor?.Invoke(spec) == true)
        {
            throw new CloudProviderException(CloudErrorKind.InsufficientCapacity, Name, "InsufficientInstanceCapacity",
                $"There is no {(spec.SpotMaxPrice is null ? "on-demand" : "spot")} capacity for {spec.InstanceType} in {spec.Region} (scripted).");
        }

        var machine = await inner.LaunchAsync(spec, cancellationToken);
        if (FailLateFor?.Invoke(spec) == true)
        {
            _failingLate[machine.CloudInstanceId] = true;
        }

        if (WhileLaunching is { } hook)
        {
            await hook(spec);
        }

        if (LoseLaunchAnswers > 0)
        {
            LoseLaunchAnswers--;
            throw new CloudProviderException(CloudErrorKind.Transient, Name, "RequestTimeout", "the answer was lost (scripted)");
        }

        return machine;
    }

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        ThrowIfScripted();
        var machine = await inner.DescribeAsync(region, cloudInstanceId, cancellationToken);
        return machine is not null && _failingLate.ContainsKey(cloudInstanceId) && machine.State is not (CloudMachineState.ShuttingDown or CloudMachineState.Terminated)
            ? machine with
            {
                State = CloudMachineState.Failed,
                Failure = new CloudMachineFailure(CloudErrorKind.InsufficientCapacity, Name, "AllocationFailed", "Allocation failed after the launch was accepted (scripted)."),
            }
            : machine;
    }

    public Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken) =>
        FailNextFind.TryDequeue(out var error) ? throw error : inner.FindByInstanceAsync(region, instanceId, cancellationToken);

    public Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _terminateCalls);
        ThrowIfScripted();
        return inner.TerminateAsync(region, cloudInstanceId, cancellationToken);
    }

    private void ThrowIfScripted()
    {
        if (FailNext.TryDequeue(out var error))
        {
            throw error;
        }
    }

    public async Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken)
    {
        if (ListPageDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListPageDelay, cancellationToken);
        }

        return await inner.ListOwnedAsync(pageToken, cancellationToken);
    }

    public Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken) =>
        inner.ListSoldAsync(regions, instanceTypes, cancellationToken);

    public Task<IReadOnlyList<string>?> ListRegionsAsync(CancellationToken cancellationToken) => inner.ListRegionsAsync(cancellationToken);
}
