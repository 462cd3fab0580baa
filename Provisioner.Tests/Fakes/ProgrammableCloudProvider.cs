using System.Collections.Concurrent;
using Provisioner.Core.Providers;

namespace Provisioner.Tests.Fakes;

/// <summary>
/// A cloud whose every launch answer a test decides, that counts the calls which really reach it, when they
/// started, and how many ran at once: what the resilience layer in front of it lets through.
/// </summary>
public sealed class ProgrammableCloudProvider : ICloudProvider
{
    private readonly ConcurrentQueue<DateTimeOffset> _starts = new();
    private int _inFlight;
    private int _maxInFlight;

    public string Name => "PROGRAMMED";

    public ProviderCapabilities Capabilities { get; } = new() { Spot = true, UserData = true, DeadManSwitch = false, ResourceTags = true };

    /// <summary>Given the call number (from 1), throws or returns; the default succeeds.</summary>
    public Func<int, Exception?> Answer { get; set; } = _ => null;

    /// <summary>How long each call takes, honouring cancellation like a real HTTP call.</summary>
    public TimeSpan Latency { get; set; }

    public int Calls => _starts.Count;
    public int MaxInFlight => _maxInFlight;
    public IReadOnlyList<DateTimeOffset> CallStarts => [.. _starts];

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        _starts.Enqueue(TimeProvider.System.GetUtcNow());
        var call = _starts.Count;
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, cancellationToken);
            }

            if (Answer(call) is { } error)
            {
                throw error;
            }

            return new CloudMachine($"p-{call}", CloudMachineState.Pending, spec.InstanceType, spec.Region, null, null, TimeProvider.System.GetUtcNow(), spec.InstanceId);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) => Task.FromResult<CloudMachine?>(null);

    public Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken) => Task.FromResult<CloudMachine?>(null);

    public Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken) => Task.FromResult(new CloudMachinePage([], null));

    /// <summary>Sells every type asked about, so a catalog check finds nothing to report.</summary>
    public Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CloudSoldType>>([.. regions.SelectMany(r => instanceTypes.Select(t => new CloudSoldType(r, t)))]);

    public static CloudProviderException Error(CloudErrorKind kind, string code, TimeSpan? retryAfter = null) =>
        new(kind, "PROGRAMMED", code, $"programmed {code}", retryAfter);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
