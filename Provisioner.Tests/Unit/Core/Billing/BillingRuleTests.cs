using Provisioner.Core.Billing;
using Provisioner.Core.Instances;

namespace Provisioner.Tests.Unit.Core.Billing;

public sealed class BillingRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly BillingRules Rules = BillingRules.LoadEmbedded();

    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 60)]
    [InlineData(59, 60)]
    [InlineData(60, 60)]
    [InlineData(61, 61)]
    [InlineData(3599, 3599)]
    public void Aws_PerSecondWithASixtySecondMinimum(int ranSeconds, int billedSeconds) =>
        Rules.For(CloudProviderName.Aws).BilledSeconds(TimeSpan.FromSeconds(ranSeconds)).Should().Be(billedSeconds);

    [Fact]
    public void Aws_APartialSecond_IsBilledAsAWholeOne() =>
        Rules.For(CloudProviderName.Aws).BilledSeconds(TimeSpan.FromSeconds(61.000001)).Should().Be(62);

    [Theory]
    [InlineData(1, 60)]
    [InlineData(59, 60)]
    [InlineData(60, 60)]
    [InlineData(61, 120)]
    [InlineData(3601, 3660)]
    public void Azure_PerStartedMinute(int ranSeconds, int billedSeconds) =>
        Rules.For(CloudProviderName.Azure).BilledSeconds(TimeSpan.FromSeconds(ranSeconds)).Should().Be(billedSeconds);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59, 59)]
    [InlineData(61, 61)]
    public void NovitaAndSimulated_PerSecondWithoutMinimum(int ranSeconds, int billedSeconds)
    {
        Rules.For(CloudProviderName.Novita).BilledSeconds(TimeSpan.FromSeconds(ranSeconds)).Should().Be(billedSeconds);
        Rules.For(CloudProviderName.Simulated).BilledSeconds(TimeSpan.FromSeconds(ranSeconds)).Should().Be(billedSeconds);
    }

    [Theory]
    [InlineData("3.06", 59, "0.051")]           // AWS p3.2xlarge, under the minimum: 60 s
    [InlineData("3.06", 61, "0.051850")]        // 61 s × 3.06 / 3600 = 0.05185
    [InlineData("0.526", 1800, "0.263")]        // the seed's example, half an hour
    [InlineData("0.333333", 1, "0.005556")]     // 0.00555555 rounds half away from zero at 6 decimals
    public void Charge_PriceTimesBilledSecondsOver3600_RoundedTo6Decimals(string price, int ranSeconds, string expected) =>
        Rules.For(CloudProviderName.Aws).Charge(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(ranSeconds))
            .Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Aws_StopsBillingWhenTheStopIsAccepted_OthersWhenReleased()
    {
        var aws = Launched(CloudProviderName.Aws, 3.06m);
        aws.RequestStop("client", T0.AddMinutes(10));
        aws.RecordStopAccepted(T0.AddMinutes(10), T0.AddMinutes(10));
        aws.CostAt(T0.AddMinutes(12)).Should().Be(0.51m, "billing stops at shutting-down: 10 minutes at $3.06/h");
        aws.MarkTerminated("gone", T0.AddMinutes(12));
        aws.TotalCost.Should().Be(0.51m);

        var azure = Launched(CloudProviderName.Azure, 0.9m);
        azure.RequestStop("client", T0.AddMinutes(10));
        azure.RecordStopAccepted(T0.AddMinutes(10), T0.AddMinutes(10));
        azure.CostAt(T0.AddMinutes(12)).Should().Be(0.18m, "Azure bills until the VM is deleted: 12 minutes at $0.90/h");
        azure.MarkTerminated("gone", T0.AddMinutes(12));
        azure.TotalCost.Should().Be(0.18m);
        azure.CostAt(T0.AddDays(3)).Should().Be(0.18m, "a terminated instance's cost is final");
    }

    [Fact]
    public void Failed_AccruesUntilItsMachineIsReleased()
    {
        var sut = Launched(CloudProviderName.Novita, 3.6m);

        sut.MarkFailed("Stuck: CONFIGURING for longer than 15 minutes", T0.AddMinutes(15));
        sut.CostAt(T0.AddMinutes(20)).Should().Be(1.2m, "the machine still runs (and bills) after the record failed");
        sut.RecordReleased(T0.AddMinutes(21));

        sut.TotalCost.Should().Be(1.26m);
        sut.CostAt(T0.AddHours(2)).Should().Be(1.26m);
    }

    [Fact]
    public void Failed_WithTheMachineAlreadyGone_StopsAtTheFailure()
    {
        var sut = Launched(CloudProviderName.Novita, 3.6m);

        sut.MarkFailed("Vanished", T0.AddMinutes(10), machineGone: true);

        sut.CostAt(T0.AddHours(1)).Should().Be(0.6m);
    }

    [Fact]
    public void Spot_IsBilledAtTheCeilingAsAnEstimate_UntilTheCloudReportsItsPrice()
    {
        var estimated = Launched(CloudProviderName.Aws, 3.06m, spotCeiling: 1.2m);
        estimated.CostPerHour.Should().Be(1.2m);
        estimated.CostIsEstimate.Should().BeTrue();
        estimated.CostAt(T0.AddHours(1)).Should().Be(1.2m);

        var reported = Launched(CloudProviderName.Aws, 3.06m, spotCeiling: 1.2m, reportedSpotPrice: 0.918m);
        reported.CostPerHour.Should().Be(0.918m);
        reported.CostIsEstimate.Should().BeFalse();
        reported.CostAt(T0.AddHours(1)).Should().Be(0.918m);
    }

    private static Instance Launched(CloudProviderName provider, decimal price, decimal? spotCeiling = null, decimal? reportedSpotPrice = null)
    {
        var spec = new InstanceSpec("user-1", null, null, provider, "type", "region", 100, 120, new Dictionary<string, string>(), SpotMaxPrice: spotCeiling);
        var instance = Instance.Create(Guid.NewGuid(), "tenant", spec, price, Rules.For(provider), T0.AddSeconds(-5));
        instance.MarkLaunchRequested(provider.ToString().ToUpperInvariant(), T0.AddSeconds(-4));
        instance.RecordLaunch("m-1", T0, T0, reportedSpotPrice);
        return instance;
    }
}
