using System.Collections.Concurrent;
using Provisioner.Core.Providers;

namespace Provisioner.Tests.Fakes;

/// <summary>
/// The one scriptable cloud of the tests. Over a real adapter (the simulated cloud) it adds the failures tests need at
/// exact moments: a launch whose answer is lost after the cloud acted, a hook that runs while a launch is in flight,
/// a late capacity failure. On its own (no inner cloud: <see cref="Programmed"/>) every launch answer is the script's
/// and nothing else exists: what the resilience layer in front of it lets through. Either way it counts the launches
/// that reach it, when they started and how many ran at once.
/// </summary>
public sealed class ScriptedCloudProvider(ICloudProvider? inner = null) : ICloudProvider
{
    /// <summary>The provider name of a cloud with no inner adapter, and of the errors <see cref="Error"/> makes.</summary>
    public const string Programmed = "PROGRAMMED";

    private readonly ConcurrentQueue<DateTimeOffset> _starts = new();
    private readonly ConcurrentDictionary<string, bool> _failingLate = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _terminateCalls;

    public string Name => inner?.Name ?? Programmed;

    public ProviderCapabilities Capabilities { get; } =
        inner?.Capabilities ?? new() { Spot = true, UserData = true, DeadManSwitch = false, ResourceTags = true };

    /// <summary>The next launches are carried out by the cloud, then their answer is lost (a transient error).</summary>
    public int LoseLaunchAnswers { get; set; }

    /// <summary>Runs after the cloud accepted a launch and before the answer returns: a DELETE arriving mid-call.</summary>
    public Func<LaunchSpec, Task>? WhileLaunching { get; set; }

    /// <summary>Errors the next calls (of any verb) fail with, before reaching the cloud.</summary>
    public Queue<CloudProviderException> FailNext { get; } = new();

    /// <summary>Errors the next lookups by ownership tag (<see cref="FindByInstanceAsync"/>) fail with, before reaching the cloud.</summary>
    public Queue<CloudProviderException> FailNextFind { get; } = new();

    /// <summary>Given the launch's number (from 1), throws or lets it through; the default lets every launch through.</summary>
    public Func<int, Exception?> Answer { get; set; } = _ => null;

    /// <summary>How long each launch takes, honouring cancellation like a real HTTP call.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>How long each listing page takes, honouring cancellation like a real call: a slow cloud.</summary>
    public TimeSpan ListPageDelay { get; set; }

    /// <summary>Offerings the cloud has no capacity for: a launch there is refused as EC2 refuses it, before reaching the cloud.</summary>
    public Func<LaunchSpec, bool>? NoCapacityFor { get; set; }

    /// <summary>Every launch asked of this cloud, in order, refused or not.</summary>
    public ConcurrentQueue<LaunchSpec> Launches { get; } = new();

    /// <summary>Launches this matches are accepted, then their machines fail for lack of capacity (a late <c>AllocationFailed</c>).</summary>
    public Func<LaunchSpec, bool>? FailLateFor { get; set; }

    /// <summary>Every launch asked of this cloud, refused or not.</summary>
    public int LaunchCalls => _starts.Count;

    /// <summary>When each launch started, in order.</summary>
    public IReadOnlyList<DateTimeOffset> LaunchStarts => [.. _starts];

    /// <summary>The most launches that were in flight at once.</summary>
    public int MaxInFlight => _maxInFlight;

    public int TerminateCalls => _terminateCalls;

    /// <summary>An error as a cloud with no inner adapter raises it.</summary>
    public static CloudProviderException Error(CloudErrorKind kind, string code, TimeSpan? retryAfter = null) =>
        new(kind, Programmed, code, $"programmed {code}", retryAfter);

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        _starts.Enqueue(TimeProvider.System.GetUtcNow());
        var call = _starts.Count;
        Launches.Enqueue(spec);
        InterlockedMax(ref _maxInFlight, Interlocked.Increment(ref _inFlight));
        try
        {
            ThrowIfScripted();
            if (NoCapacityFor?.Invoke(spec) == true)
            {
                throw new CloudProviderException(CloudErrorKind.InsufficientCapacity, Name, "InsufficientInstanceCapacity",
                    $"There is no {(spec.SpotMaxPrice is null ? "on-demand" : "spot")} capacity for {spec.InstanceType} in {spec.Region} (scripted).");
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }

            if (Answer(call) is { } error)
            {
                throw error;
            }

            if (inner is null)
            {
                return new CloudMachine($"p-{call}", CloudMachineState.Pending, spec.InstanceType, spec.Region, null, null, TimeProvider.System.GetUtcNow(), spec.InstanceId);
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
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        ThrowIfScripted();
        if (inner is null)
        {
            return null;
        }

        var machine = await inner.DescribeAsync(region, cloudInstanceId, cancellationToken);
        return machine is not null && _failingLate.ContainsKey(cloudInstanceId) && machine.State is not (CloudMachineState.ShuttingDown or CloudMachineState.Terminated)
            ? machine with
            {
                State = CloudMachineState.Failed,
                Failure = new CloudMachineFailure(CloudErrorKind.InsufficientCapacity, Name, "AllocationFailed", "Allocation failed after the launch was accepted (scripted)."),
            }
            : machine;
    }

    /// <summary>The inner cloud's batch read, with this script's late failures, as <see cref="DescribeAsync"/> has them.</summary>
    public async Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken)
    {
        ThrowIfScripted();
        if (inner is null)
        {
            return [];
        }

        var states = await inner.ReadStatesAsync(region, cloudInstanceIds, cancellationToken);
        return [.. states.Select(s => _failingLate.ContainsKey(s.CloudInstanceId) && s.State is not (CloudMachineState.ShuttingDown or CloudMachineState.Terminated)
            ? s with
            {
                State = CloudMachineState.Failed,
                Failure = new CloudMachineFailure(CloudErrorKind.InsufficientCapacity, Name, "AllocationFailed", "Allocation failed after the launch was accepted (scripted)."),
            }
            : s)];
    }

    public Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken) =>
        FailNextFind.TryDequeue(out var error) ? throw error : inner?.FindByInstanceAsync(region, instanceId, cancellationToken) ?? Task.FromResult<CloudMachine?>(null);

    public Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _terminateCalls);
        ThrowIfScripted();
        return inner?.TerminateAsync(region, cloudInstanceId, cancellationToken) ?? Task.CompletedTask;
    }

    public async Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken)
    {
        if (ListPageDelay > TimeSpan.Zero)
        {
            await Task.Delay(ListPageDelay, cancellationToken);
        }

        return inner is null ? new CloudMachinePage([], null) : await inner.ListOwnedAsync(pageToken, cancellationToken);
    }

    /// <summary>With no inner cloud, sells every type asked about, so a catalog check finds nothing to report.</summary>
    public Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken) =>
        inner?.ListSoldAsync(regions, instanceTypes, cancellationToken)
        ?? Task.FromResult<IReadOnlyList<CloudSoldType>>([.. regions.SelectMany(r => instanceTypes.Select(t => new CloudSoldType(r, t)))]);


    public Task<IReadOnlyList<string>?> ListRegionsAsync(CancellationToken cancellationToken) =>
        inner?.ListRegionsAsync(cancellationToken) ?? Task.FromResult<IReadOnlyList<string>?>(null);

    private void ThrowIfScripted()
    {
        if (FailNext.TryDequeue(out var error))
        {
            throw error;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
