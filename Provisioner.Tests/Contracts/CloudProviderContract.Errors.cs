using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    [Fact]
    public async Task EveryErrorClassTheCloudRaises_IsMappedOnce_AndNotRetriedByTheAdapter()
    {
        InjectableLaunchErrors.Should().NotBeEmpty();
        foreach (var kind in InjectableLaunchErrors)
        {
            var (error, calls) = await LaunchFailingWithAsync(kind);

            error.Kind.Should().Be(kind);
            error.Provider.Should().Be(Provider().Name);
            error.IsRetryable.Should().Be(kind is CloudErrorKind.Throttled or CloudErrorKind.Transient);
            calls?.Should().Be(1, $"{kind}: retries belong to the resilience pipeline, not to the adapter");
        }
    }

    [Fact]
    public async Task CapacityAndQuota_AreNotRetried()
    {
        // Each cloud is held to the limits it can report: every adapter can run out of capacity; quota only
        // where the cloud (and so its fake) has one.
        var limits = InjectableLaunchErrors.Where(k => k is CloudErrorKind.InsufficientCapacity or CloudErrorKind.QuotaExceeded).ToList();
        limits.Should().Contain(CloudErrorKind.InsufficientCapacity);
        foreach (var kind in limits)
        {
            var (error, calls) = await LaunchFailingWithAsync(kind);

            error.IsRetryable.Should().BeFalse($"{kind}: another offering is the next move, not the same call again");
            error.AskedToWait.Should().BeNull();
            calls?.Should().Be(1);
        }
    }

    [Fact]
    public async Task Throttling_IsHonoured_WithAWaitForTheCaller()
    {
        var (error, calls) = await LaunchFailingWithAsync(CloudErrorKind.Throttled);

        error.Kind.Should().Be(CloudErrorKind.Throttled);
        error.AskedToWait.Should().BeGreaterThan(TimeSpan.Zero, "the caller defers the step by the cloud's wait");
        calls?.Should().Be(1, "the adapter does not hammer a cloud that asked it to slow down");
    }

    private async Task<(CloudProviderException Error, int? Calls)> LaunchFailingWithAsync(CloudErrorKind kind)
    {
        var spec = Spec();
        var code = await FailNextLaunchAsync(kind, spec);
        var before = LaunchCallsReceived;
        try
        {
            var act = () => Provider().LaunchAsync(spec, CancellationToken.None);
            var error = (await act.Should().ThrowAsync<CloudProviderException>()).Which;
            error.CloudCode.Should().Be(code, "the cloud's own code is kept for the failure reason");
            return (error, LaunchCallsReceived - before);
        }
        finally
        {
            StopFailing();
        }
    }
}
