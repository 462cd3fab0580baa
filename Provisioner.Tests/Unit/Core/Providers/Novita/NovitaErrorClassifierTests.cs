using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Novita;

namespace Provisioner.Tests.Unit.Core.Providers.Novita;

public sealed class NovitaErrorClassifierTests
{
    [Theory]
    [InlineData("RATE_LIMIT_EXCEEDED", 429, CloudErrorKind.Throttled)]
    [InlineData("Http429", 429, CloudErrorKind.Throttled)]
    [InlineData("INSUFFICIENT_RESOURCE", 400, CloudErrorKind.InsufficientCapacity)]
    [InlineData("CREATE_INSTANCE_LIMIT", 400, CloudErrorKind.QuotaExceeded)]
    [InlineData("BALANCE_NOT_ENOUGH", 400, CloudErrorKind.QuotaExceeded)]
    [InlineData("RESOURCE_NOT_FOUND", 400, CloudErrorKind.NotFound)]
    [InlineData("UNAUTHORIZED", 401, CloudErrorKind.Unauthorized)]
    [InlineData("Http403", 403, CloudErrorKind.Unauthorized)]
    [InlineData("VALIDATOR_PARAM", 400, CloudErrorKind.InvalidRequest)]
    [InlineData("UNKNOWN", 500, CloudErrorKind.Transient)]
    [InlineData("Http503", 503, CloudErrorKind.Transient)]
    public void Classify_ByReasonThenStatus(string reason, int status, CloudErrorKind expected)
    {
        var sut = NovitaErrorClassifier.Classify(reason, "said", status);

        sut.Kind.Should().Be(expected);
        sut.CloudCode.Should().Be(reason);
    }

    [Fact]
    public void Classify_ThrottledWithoutRetryAfter_StillAsksTheCallerToWait() =>
        NovitaErrorClassifier.Classify("RATE_LIMIT_EXCEEDED", "slow down", 429).AskedToWait.Should().Be(NovitaErrorClassifier.ThrottleBackoff);

    [Fact]
    public void ClassifyStatusError_None_IsNoFailure() => NovitaErrorClassifier.ClassifyStatusError(null, "").Should().BeNull();

    /// <summary>Novita's spelling of a spot reclaim is not settled: every known one is a loss of capacity, never an invalid request.</summary>
    [Theory]
    [InlineData("SPOT_RECLAIMED", "the instance was stopped")]
    [InlineData("spot_reclaimed", "")]
    [InlineData("SpotReclaim", "")]
    [InlineData("SPOT-RECLAIM", "")]
    [InlineData("spot instance reclaimed", "")]
    [InlineData("PREEMPTED", "")]
    [InlineData("SPOT_INTERRUPTED", "")]
    [InlineData("INSTANCE_STOPPED", "Spot instance reclaimed by the platform")]
    [InlineData("UNKNOWN", "preempted: capacity needed elsewhere")]
    public void ClassifyStatusError_ASpotReclaim_IsInsufficientCapacity(string state, string message)
    {
        var sut = NovitaErrorClassifier.ClassifyStatusError(state, message);

        sut!.Kind.Should().Be(CloudErrorKind.InsufficientCapacity);
        sut.CloudCode.Should().Be(state);
    }
}
