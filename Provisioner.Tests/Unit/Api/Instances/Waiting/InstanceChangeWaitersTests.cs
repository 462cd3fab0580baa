using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Api.Instances.Waiting;

namespace Provisioner.Tests.Unit.Api.Instances.Waiting;

public sealed class InstanceChangeWaitersTests
{
    private readonly InstanceChangeWaiters _waiters =
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    [Fact]
    public void Wake_CompletesEveryReadHeldOnThatInstance_AndNoOther()
    {
        var id = Guid.NewGuid();
        using var first = _waiters.Register(id);
        using var second = _waiters.Register(id);
        using var other = _waiters.Register(Guid.NewGuid());

        _waiters.Wake(id);

        first.Changed.IsCompletedSuccessfully.Should().BeTrue();
        second.Changed.IsCompletedSuccessfully.Should().BeTrue();
        other.Changed.IsCompleted.Should().BeFalse();
        _waiters.Count.Should().Be(1, "the woken reads are out of line");
    }

    [Fact]
    public void WakeAll_CompletesEveryHeldRead()
    {
        using var first = _waiters.Register(Guid.NewGuid());
        using var second = _waiters.Register(Guid.NewGuid());

        _waiters.WakeAll();

        first.Changed.IsCompletedSuccessfully.Should().BeTrue();
        second.Changed.IsCompletedSuccessfully.Should().BeTrue();
        _waiters.Count.Should().Be(0);
    }

    [Fact]
    public void Dispose_LeavesNothingBehind_AndTheOthersStillWake()
    {
        var id = Guid.NewGuid();
        var gone = _waiters.Register(id);
        using var kept = _waiters.Register(id);

        gone.Dispose();
        _waiters.Count.Should().Be(1);
        _waiters.Wake(id);

        kept.Changed.IsCompletedSuccessfully.Should().BeTrue();
        gone.Changed.IsCompleted.Should().BeFalse("a read that left is not woken");
        _waiters.Count.Should().Be(0);
    }

    [Fact]
    public void Wake_BeforeTheReadWaits_IsNotLost()
    {
        var id = Guid.NewGuid();
        using var registration = _waiters.Register(id);

        _waiters.Wake(id);

        registration.Changed.IsCompletedSuccessfully.Should().BeTrue("a read registers before it looks, so a change in between still wakes it");
    }
}
