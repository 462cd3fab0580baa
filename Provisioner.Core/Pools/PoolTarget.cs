namespace Provisioner.Core.Pools;

/// <summary>
/// How many machines a pool keeps warm or starting. Without autoscaling, <see cref="PoolSize.Min"/>. With it, the
/// machines that matching requests would take during one cold boot: <c>ceil(rate × boot time)</c>, where rate is the
/// matching creates per second over the demand window and boot time the cloud's measured launch-to-running time; kept
/// between min and max. A pool that keeps that many ready has a free machine whenever a request comes while the one
/// drawn before it is still being replaced (Little's law on the refill). Demand falling lowers the target at once, but
/// a warm machine above it is released only after its idle limit, so a pause does not throw away machines paid to boot.
/// </summary>
public static class PoolTarget
{
    public static int For(PoolSize size, int requestsInWindow, TimeSpan window, TimeSpan? bootTime)
    {
        if (!size.Autoscale || window <= TimeSpan.Zero || bootTime is not { } boot || requestsInWindow <= 0)
        {
            return size.Min;
        }

        var perSecond = requestsInWindow / window.TotalSeconds;
        var wanted = (int)Math.Min(int.MaxValue, Math.Ceiling(perSecond * boot.TotalSeconds));
        return Math.Clamp(wanted, size.Min, size.Max);
    }
}
