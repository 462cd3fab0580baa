namespace Provisioner.Core.Providers.Aws;

/// <summary>EC2's error codes onto the port's classes, in one place.</summary>
public static class Ec2ErrorClassifier
{
    public const string Backend = "AWS";

    public static CloudProviderException Classify(string code, string message, int httpStatus, TimeSpan? retryAfter = null)
    {
        var kind = code switch
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
            _ when httpStatus >= 500 => CloudErrorKind.Transient,
            _ => CloudErrorKind.InvalidRequest,
        };
        return new CloudProviderException(kind, Backend, code, message, kind == CloudErrorKind.Throttled ? retryAfter : null);
    }
}
