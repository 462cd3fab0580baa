using Provisioner.Core.Pools;

namespace Provisioner.Tests.Unit.Core.Pools;

/// <summary>The autoscaling rule: ceil(matching requests per second × measured boot time), kept between min and max.</summary>
public sealed class PoolTargetTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(60, 30, 3)] // 0.1/s × 30 s
    [InlineData(61, 30, 4)] // a fraction of a machine is a machine
    [InlineData(6, 30, 1)] // below min: min
    [InlineData(6000, 30, 8)] // above max: max
    public void Autoscaled_FollowsRateTimesBootTime_WithinMinAndMax(int requests, int bootSeconds, int expected) =>
        PoolTarget.For(new PoolSize(1, 8, 10, Autoscale: true), requests, Window, TimeSpan.FromSeconds(bootSeconds)).Should().Be(expected);

    [Fact]
    public void NotAutoscaled_IsMin_WhateverTheDemand() =>
        PoolTarget.For(new PoolSize(2, 8, 10, Autoscale: false), 6000, Window, TimeSpan.FromSeconds(30)).Should().Be(2);

    [Fact]
    public void NoRequestsOrNoMeasuredBoot_IsMin()
    {
        var size = new PoolSize(0, 8, 10, Autoscale: true);
        PoolTarget.For(size, 0, Window, TimeSpan.FromSeconds(30)).Should().Be(0);
        PoolTarget.For(size, 600, Window, null).Should().Be(0, "without a measured boot time there is nothing to scale by");
    }
}
