using System.Net;
using Amazon.EC2;
using Amazon.Runtime;

namespace Provisioner.Core.Providers.Aws;

/// <summary>EC2's error codes (and the state reasons of machines it gave up on) onto the port's classes, in one place.</summary>
public sealed class AwsErrorClassifier : CloudErrorClassifier<AwsErrorClassifier>, ICloudErrorCodes
{
    public const string Backend = "AWS";

    static string ICloudErrorCodes.BackendName => Backend;

    /// <summary>Any failure of an SDK call: the service's own error by its code and status, anything else as transient.</summary>
    internal static CloudProviderException Classify(Exception error) => error switch
    {
        AmazonEC2Exception { ErrorCode.Length: > 0 } ec2 => Classify(ec2.ErrorCode, ec2.Message, (int)ec2.StatusCode, inner: ec2),
        AmazonServiceException { ErrorCode.Length: > 0 } service =>
            Classify(service.ErrorCode, service.Message, (int)service.StatusCode, inner: service),
        AmazonServiceException service =>
            Classify($"Http{(int)service.StatusCode}", service.Message, (int)service.StatusCode, inner: service),
        _ => Transport(error),
    };

    /// <summary>
    /// Why EC2 ended a machine that we did not end (its <c>stateReason</c>), or null when the ending was ours: our
    /// terminate call, or the machine's own power-off at its deadline.
    /// See https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StateReason.html.
    /// </summary>
    public static CloudMachineFailure? ClassifyStateReason(string? code, string? message)
    {
        if (code is null or "Client.UserInitiatedShutdown" or "Client.InstanceInitiatedShutdown" or "Client.UserInitiatedHibernate")
        {
            return null;
        }

        var kind = code switch
        {
            "Server.InsufficientInstanceCapacity" or "Server.SpotInstanceTermination" or "Server.SpotInstanceShutdown" => CloudErrorKind.InsufficientCapacity,
            "Client.VolumeLimitExceeded" => CloudErrorKind.QuotaExceeded,
            _ when code.StartsWith("Server.", StringComparison.Ordinal) || code == "Client.InternalError" => CloudErrorKind.Transient,
            _ => CloudErrorKind.InvalidRequest,
        };
        return new CloudMachineFailure(kind, Backend, code, string.IsNullOrEmpty(message) ? code : message);
    }

    static CloudErrorKind ICloudErrorCodes.KindOf(string code, string message, int httpStatus) => code switch
    {
        "RequestLimitExceeded" or "Throttling" or "ThrottlingException" => CloudErrorKind.Throttled,
        "InsufficientInstanceCapacity" or "InsufficientHostCapacity" or "InsufficientReservedInstanceCapacity"
            or "MaxSpotInstanceCountExceeded" or "UnfulfillableCapacity" or "InsufficientAddressCapacity"
            or "ReservationCapacityExceeded" or "SpotMaxPriceTooLow" => CloudErrorKind.InsufficientCapacity,
        "InstanceLimitExceeded" or "VcpuLimitExceeded" or "InsufficientFreeAddressesInSubnet" or "AddressLimitExceeded" => CloudErrorKind.QuotaExceeded,
        "AuthFailure" or "UnauthorizedOperation" or "OptInRequired" or "Blocked" or "SignatureDoesNotMatch" or "MissingAuthenticationToken"
            or "InvalidClientTokenId" or "RequestExpired" or "IncompleteSignature" => CloudErrorKind.Unauthorized,
        _ when code.EndsWith(".NotFound", StringComparison.Ordinal) && code.StartsWith("InvalidInstanceID", StringComparison.Ordinal) => CloudErrorKind.NotFound,
        "InternalError" or "InternalFailure" or "ServerInternal" or "ServiceUnavailable" or "Unavailable" => CloudErrorKind.Transient,
        _ when httpStatus >= (int)HttpStatusCode.InternalServerError => CloudErrorKind.Transient,
        _ => CloudErrorKind.InvalidRequest,
    };
}
