namespace Provisioner.Core.Hosting;

/// <summary>
/// The system clock read to the whole microsecond, the precision PostgreSQL keeps: a timestamp the domain takes from
/// it (an instance's creation, a transition, an event) is already what the database will store, so a value compared in
/// memory equals the one read back, not only their JSON (<see cref="MicrosecondTimestampConverter"/>). Timers and
/// timestamps for measuring durations are the inner clock's, untouched.
/// </summary>
public sealed class MicrosecondClock(TimeProvider inner) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => MicrosecondTimestampConverter.Truncate(inner.GetUtcNow());

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
