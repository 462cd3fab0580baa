using System.Threading.RateLimiting;
using Provisioner.Api.Security;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Unit.Api.Security;

/// <summary>The API's timer-less token buckets give what the framework's partitioned token buckets gave.</summary>
public sealed class TokenBucketsTests
{
    private readonly ManualClock _clock = new();

    private TokenBuckets<string> Sut() => new(caller => new TokenBucket(caller, PerSecond: 2, Burst: 3), _clock);

    [Fact]
    public void Burst_IsGranted_TheNextIsRefused_WithTheTimeToTheNextRefill()
    {
        using var sut = Sut();
        for (var i = 0; i < 3; i++)
        {
            using var granted = sut.AttemptAcquire("a");
            granted.IsAcquired.Should().BeTrue("the burst is {0} tokens", 3);
        }

        _clock.Advance(TimeSpan.FromMilliseconds(300));
        using var refused = sut.AttemptAcquire("a");

        refused.IsAcquired.Should().BeFalse();
        refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        retryAfter.Should().Be(TimeSpan.FromMilliseconds(700), "tokens come a whole second after the bucket began");
    }

    [Fact]
    public void Tokens_ComePerWholeSecond_UpToTheBurst()
    {
        using var sut = Sut();
        Drain(sut, "a", 3);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        sut.AttemptAcquire("a").IsAcquired.Should().BeFalse("no whole second has passed");

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Drain(sut, "a", 2).Should().Be(2, "a second adds PerSecond tokens");

        _clock.Advance(TimeSpan.FromMinutes(5));
        Drain(sut, "a", 10).Should().Be(3, "however long a bucket waits it holds no more than its burst");
    }

    [Fact]
    public void Partitions_AreApart()
    {
        using var sut = Sut();
        Drain(sut, "a", 3);

        Drain(sut, "b", 10).Should().Be(3, "another caller's bucket is its own");
        sut.GetStatistics("a")!.CurrentAvailablePermits.Should().Be(0);
    }

    [Fact]
    public void FullBuckets_AreDropped_WhenANewCallerComes_AndAreNewAgainIfTheyReturn()
    {
        using var sut = Sut();
        Drain(sut, "a", 3);
        Drain(sut, "b", 1);

        _clock.Advance(TimeSpan.FromSeconds(11));
        Drain(sut, "c", 1);

        sut.Count.Should().Be(1, "a and b are full again, the same as new buckets; c has spent a token");
        Drain(sut, "a", 10).Should().Be(3);
    }

    private static int Drain(TokenBuckets<string> sut, string caller, int tries)
    {
        var granted = 0;
        for (var i = 0; i < tries; i++)
        {
            using var lease = sut.AttemptAcquire(caller);
            granted += lease.IsAcquired ? 1 : 0;
        }

        return granted;
    }
}
