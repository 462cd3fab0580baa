using Microsoft.Extensions.Options;
using Provisioner.Core.Webhooks;

namespace Provisioner.Tests.Unit.Core.Webhooks;

public sealed class WebhookHostLimiterTests
{
    private static WebhookHostLimiter Limiter(int perHost) => new(Options.Create(new WebhookOptions { MaxConcurrencyPerHost = perHost }));

    [Fact]
    public void TryAcquire_HostAtItsShare_RefusedUntilALeaseIsReleased()
    {
        var limiter = Limiter(2);
        var first = limiter.TryAcquire("hooks.example.com");
        using var second = limiter.TryAcquire("hooks.example.com");

        limiter.TryAcquire("hooks.example.com").Should().BeNull();
        first!.Dispose();

        limiter.TryAcquire("hooks.example.com").Should().NotBeNull();
    }

    [Fact]
    public void TryAcquire_OneHostFull_OtherHostsStillServed()
    {
        var limiter = Limiter(1);
        using var busy = limiter.TryAcquire("slow.example.com:8443");

        using var other = limiter.TryAcquire("fast.example.com");

        other.Should().NotBeNull();
        limiter.TryAcquire("slow.example.com:8443").Should().BeNull();
    }

    [Fact]
    public void TryAcquire_HostNamesDifferOnlyInCase_ShareOneCount()
    {
        var limiter = Limiter(1);
        using var lower = limiter.TryAcquire("hooks.example.com");

        limiter.TryAcquire("HOOKS.Example.com").Should().BeNull();
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnePermit()
    {
        var limiter = Limiter(2);
        var lease = limiter.TryAcquire("hooks.example.com")!;
        using var held = limiter.TryAcquire("hooks.example.com");

        lease.Dispose();
        lease.Dispose();

        using var again = limiter.TryAcquire("hooks.example.com");
        again.Should().NotBeNull();
        limiter.TryAcquire("hooks.example.com").Should().BeNull("the second Dispose must not free the permit another lease holds");
    }

    [Fact]
    public void Hosts_AfterTheirLastLeaseIsReleased_NothingIsKept()
    {
        var limiter = Limiter(3);
        var leases = Enumerable.Range(0, 50).Select(i => limiter.TryAcquire($"receiver-{i}.example.com")!).ToList();
        limiter.Hosts.Should().Be(50);

        leases.ForEach(lease => lease.Dispose());

        limiter.Hosts.Should().Be(0);
    }

    [Fact]
    public void TryAcquire_ManyThreadsAtOnce_NeverMoreThanTheShareInFlight()
    {
        var limiter = Limiter(3);
        var inFlight = 0;
        var most = 0;
        var gate = new Barrier(8);

        // Threads of their own, not the pool's: the barrier holds each one until all eight are there.
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            gate.SignalAndWait();
            for (var i = 0; i < 2_000; i++)
            {
                using var lease = limiter.TryAcquire("hooks.example.com");
                if (lease is null)
                {
                    continue;
                }

                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                Interlocked.Decrement(ref inFlight);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        most.Should().BeInRange(1, 3);
        limiter.Hosts.Should().Be(0);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var found && found != seen)
        {
            seen = found;
        }
    }
}
