using Provisioner.Core.ApiBudgets;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Unit.Core.ApiBudgets;

/// <summary>
/// The bucket rule on a driven clock, and a burst through our budget into a cloud enforcing the same bucket, as the
/// capacity benchmark measured it: the first calls of a burst reach the cloud later after their draw (the burst's
/// contention, a cold path) than the calls that waited for tokens, so a budget whose refill starts at our draw runs a
/// little ahead of the cloud's.
/// </summary>
public sealed class TokenBucketRuleTests
{
    private static readonly ApiLimit RunInstances = ApiLimit.Of(5, 2);
    private static readonly TimeSpan NoLag = TimeSpan.Zero;

    [Fact]
    public void Take_ABurst_QueuesCallsAtTheRefillRate_FromTheLagAfterTheFirstCall()
    {
        var clock = new ManualClock();
        var state = Full(clock);
        var waits = new List<TimeSpan>();
        for (var call = 0; call < 7; call++)
        {
            var draw = TokenBucketRule.Take(state, RunInstances, clock.GetUtcNow(), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250));
            state = draw.After;
            waits.Add(draw.Answer.Wait);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        waits.Select(w => w.TotalMilliseconds).Should().Equal(0, 0, 0, 0, 0, 750 - 500, 1250 - 600);
    }

    [Fact]
    public void Take_BeyondTheWaitAllowed_IsRefused_WithTheTimeOneTokenIsThere_AndChangesNothing()
    {
        var clock = new ManualClock();
        var state = Full(clock);
        for (var call = 0; call < 6; call++)
        {
            state = TokenBucketRule.Take(state, RunInstances, clock.GetUtcNow(), TimeSpan.FromSeconds(1), NoLag).After;
        }

        var refused = TokenBucketRule.Take(state, RunInstances, clock.GetUtcNow(), TimeSpan.FromMilliseconds(500), NoLag);

        refused.Answer.Should().Be(new ApiBucketAnswer(false, TimeSpan.FromSeconds(1)), "the sixth holds the token at 0.5 s; the next is there at 1 s");
        refused.After.Should().Be(state);
    }

    [Fact]
    public void CloudRefused_WhileCallsHoldTokens_KeepsTheRefillEarned_AndEmptiesABucketWithTokens()
    {
        var clock = new ManualClock();
        var queued = new TokenBucketRule.State(-2, clock.GetUtcNow());
        var withTokens = new TokenBucketRule.State(3, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMilliseconds(500));

        TokenBucketRule.CloudRefused(queued, RunInstances, clock.GetUtcNow()).Should().Be(new TokenBucketRule.State(-1, clock.GetUtcNow()),
            "half a second refilled one of the two held tokens; the holders keep their places");
        TokenBucketRule.CloudRefused(withTokens, RunInstances, clock.GetUtcNow()).Should().Be(new TokenBucketRule.State(0, clock.GetUtcNow()),
            "the cloud had none: another tool spent them");
    }

    [Fact]
    public void ABurstThroughTheBudget_WithoutTheLag_MeetsAThrottle_WhenTheFirstCallsReachTheCloudLater()
    {
        var (throttled, _) = Burst(60, NoLag);

        throttled.Should().BePositive("the cloud's refill started 70 ms after ours, and the queued calls are sent 1 ms after their token");
    }

    [Fact]
    public void ABurstThroughTheBudget_WithTheLag_IsNeverThrottled_AndEndsTheLagAfterTheFloor()
    {
        var lag = TimeSpan.FromMilliseconds(250);

        var (throttled, last) = Burst(60, lag);

        throttled.Should().Be(0);
        last.Should().BeCloseTo(TimeSpan.FromSeconds((60 - 5) / 2.0) + lag, TimeSpan.FromMilliseconds(100),
            "the bucket's floor, (60 - 5) / 2 s, and the lag once");
    }

    /// <summary>
    /// <paramref name="creates"/> calls draw on our budget one millisecond apart (the row's lock serializes them), each
    /// is sent when its token is there, and reaches the cloud 70 ms after its draw or wait for the first five (the
    /// burst's contention) and 1 ms for the rest. The cloud takes them in order of arrival from its own bucket, refusing
    /// without a wait as EC2 does; a refused call draws again and is sent again. Returns the cloud's refusals and the time
    /// of its last accepted call after the first draw.
    /// </summary>
    private static (int Throttled, TimeSpan Last) Burst(int creates, TimeSpan lag)
    {
        var start = new ManualClock().GetUtcNow();
        var clock = new ManualClock(start);
        var ours = Full(clock);
        var cloud = new TokenBucketRule.State(RunInstances.Capacity, start);
        var arrivals = new PriorityQueue<int, DateTimeOffset>();
        for (var call = 0; call < creates; call++)
        {
            arrivals.Enqueue(call, Draw(ref ours, clock.GetUtcNow(), lag, call < 5 ? TimeSpan.FromMilliseconds(70) : TimeSpan.FromMilliseconds(1)));
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var (throttled, last) = (0, start);
        while (arrivals.TryDequeue(out var call, out var at))
        {
            clock.Set(at);
            var answer = TokenBucketRule.Take(cloud, RunInstances, at, TimeSpan.Zero, NoLag);
            cloud = answer.After;
            if (answer.Answer.Taken)
            {
                last = at;
                continue;
            }

            throttled++;
            ours = TokenBucketRule.CloudRefused(ours, RunInstances, at);
            arrivals.Enqueue(call, Draw(ref ours, at, lag, TimeSpan.FromMilliseconds(1)));
        }

        return (throttled, last - start);
    }

    /// <summary>A draw on our budget (waiting as long as it takes); the time the call reaches the cloud.</summary>
    private static DateTimeOffset Draw(ref TokenBucketRule.State ours, DateTimeOffset now, TimeSpan lag, TimeSpan onTheWay)
    {
        var draw = TokenBucketRule.Take(ours, RunInstances, now, TimeSpan.FromMinutes(1), lag);
        ours = draw.After;
        return now + draw.Answer.Wait + onTheWay;
    }

    private static TokenBucketRule.State Full(TimeProvider clock) => new(RunInstances.Capacity, clock.GetUtcNow());
}
