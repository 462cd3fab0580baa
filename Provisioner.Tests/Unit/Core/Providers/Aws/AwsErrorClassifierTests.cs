using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Aws;

namespace Provisioner.Tests.Unit.Core.Providers.Aws;

public sealed class AwsErrorClassifierTests
{
    [Theory]
    [InlineData("RequestLimitExceeded", 503, CloudErrorKind.Throttled)]
    [InlineData("InsufficientInstanceCapacity", 500, CloudErrorKind.InsufficientCapacity)]
    [InlineData("InstanceLimitExceeded", 400, CloudErrorKind.QuotaExceeded)]
    [InlineData("VcpuLimitExceeded", 400, CloudErrorKind.QuotaExceeded)]
    [InlineData("InvalidParameterValue", 400, CloudErrorKind.InvalidRequest)]
    [InlineData("Unsupported", 400, CloudErrorKind.InvalidRequest)]
    [InlineData("IdempotentParameterMismatch", 400, CloudErrorKind.InvalidRequest)]
    [InlineData("InvalidInstanceID.NotFound", 400, CloudErrorKind.NotFound)]
    [InlineData("AuthFailure", 401, CloudErrorKind.Unauthorized)]
    [InlineData("UnauthorizedOperation", 403, CloudErrorKind.Unauthorized)]
    [InlineData("InternalError", 500, CloudErrorKind.Transient)]
    [InlineData("Unavailable", 503, CloudErrorKind.Transient)]
    [InlineData("SomethingNew", 502, CloudErrorKind.Transient)]
    public void Classify_MapsEc2CodesOntoThePortsClasses(string code, int status, CloudErrorKind kind)
    {
        var error = AwsErrorClassifier.Classify(code, "message", status, TimeSpan.FromSeconds(2));

        error.Kind.Should().Be(kind);
        error.CloudCode.Should().Be(code);
        error.ToFailureReason().Should().Be($"{kind}: AWS returned {code}: message");
        error.AskedToWait.Should().Be(kind == CloudErrorKind.Throttled ? TimeSpan.FromSeconds(2) : null);
    }
}
