using Azure.Identity;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Azure;

namespace Provisioner.Tests.Unit.Core.Providers.Azure;

public sealed class AzureErrorClassifierTests
{
    [Theory]
    [InlineData("TooManyRequests", 429, "", CloudErrorKind.Throttled)]
    [InlineData("SubscriptionRequestsThrottled", 429, "", CloudErrorKind.Throttled)]
    [InlineData("SkuNotAvailable", 409, "The requested VM size ... is currently not available", CloudErrorKind.InsufficientCapacity)]
    [InlineData("AllocationFailed", 200, "Allocation failed.", CloudErrorKind.InsufficientCapacity)]
    [InlineData("ZonalAllocationFailed", 200, "", CloudErrorKind.InsufficientCapacity)]
    [InlineData("OverconstrainedAllocationRequest", 200, "", CloudErrorKind.InsufficientCapacity)]
    [InlineData("OverconstrainedZonalAllocationRequest", 409, "", CloudErrorKind.InsufficientCapacity)]
    [InlineData("OperationNotAllowed", 409, "Operation could not be completed as it results in exceeding approved standardNCASv3_T4Family Cores quota.", CloudErrorKind.QuotaExceeded)]
    [InlineData("OperationNotAllowed", 409, "Operation results in exceeding quota limits of Core. Maximum allowed: 4", CloudErrorKind.QuotaExceeded)]
    [InlineData("OperationNotAllowed", 409, "Operation 'PUT' is not allowed on VM 'x' since the VM is marked for deletion.", CloudErrorKind.InvalidRequest)]
    [InlineData("InvalidParameter", 400, "", CloudErrorKind.InvalidRequest)]
    [InlineData("PropertyChangeNotAllowed", 409, "", CloudErrorKind.InvalidRequest)]
    [InlineData("ResourceNotFound", 404, "", CloudErrorKind.NotFound)]
    [InlineData("ResourceGroupNotFound", 404, "", CloudErrorKind.InvalidRequest)]
    [InlineData("AuthorizationFailed", 403, "", CloudErrorKind.Unauthorized)]
    [InlineData("InvalidAuthenticationToken", 401, "", CloudErrorKind.Unauthorized)]
    [InlineData("Http401", 401, "", CloudErrorKind.Unauthorized)]
    [InlineData("InternalServerError", 500, "", CloudErrorKind.Transient)]
    [InlineData("Http503", 503, "", CloudErrorKind.Transient)]
    public void Classify_ArmCodeAndStatus_IsTheIssuesClass(string code, int status, string message, CloudErrorKind kind)
    {
        var sut = AzureErrorClassifier.Classify(code, message, status);

        sut.Kind.Should().Be(kind);
        sut.Provider.Should().Be("AZURE");
        sut.CloudCode.Should().Be(code);
    }

    [Fact]
    public void Classify_ThrottledWithoutRetryAfter_AsksForTheDefaultWait_OthersAskForNone()
    {
        AzureErrorClassifier.Classify("TooManyRequests", "slow down", 429).AskedToWait.Should().Be(AzureErrorClassifier.ThrottleBackoff);
        AzureErrorClassifier.Classify("TooManyRequests", "slow down", 429, TimeSpan.FromSeconds(7)).AskedToWait.Should().Be(TimeSpan.FromSeconds(7));
        AzureErrorClassifier.Classify("SkuNotAvailable", "none", 409, TimeSpan.FromSeconds(7)).AskedToWait.Should().BeNull();
    }

    [Fact]
    public void Classify_ACredentialThatCannotGetAToken_IsUnauthorized()
    {
        var sut = AzureErrorClassifier.Classify(new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token"));

        sut.Kind.Should().Be(CloudErrorKind.Unauthorized);
        sut.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public void Classify_AConnectionFailure_IsTransient() =>
        AzureErrorClassifier.Classify(new HttpRequestException("Connection refused")).Kind.Should().Be(CloudErrorKind.Transient);

    [Fact]
    public void ClassifyProvisioningFailure_KeepsArmsCodeAndWords()
    {
        var sut = AzureErrorClassifier.ClassifyProvisioningFailure("AllocationFailed", "Allocation failed. We do not have sufficient capacity.");

        sut.ToFailureReason().Should().Be("InsufficientCapacity: AZURE returned AllocationFailed: Allocation failed. We do not have sufficient capacity.");
    }
}
