using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Identity;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// ARM's errors (and the provisioning failures of machines Azure gave up on) onto the port's classes, in one place.
/// A code decides before a status: an allocation failure can arrive on a 200 (an operation's poll) or a 409.
/// </summary>
public sealed class AzureErrorClassifier : CloudErrorClassifier<AzureErrorClassifier>, ICloudErrorCodes
{
    public const string Backend = "AZURE";

    static string ICloudErrorCodes.BackendName => Backend;

    /// <summary>Any failure of an SDK call: ARM's own error by its code and status, a credential failure as unauthorized, anything else as transient.</summary>
    internal static CloudProviderException Classify(Exception error) => error switch
    {
        RequestFailedException arm => Classify(
            arm.ErrorCode is { Length: > 0 } code ? code : $"Http{arm.Status}", MessageOf(arm), arm.Status, RetryAfterOf(arm), arm),
        AuthenticationFailedException or CredentialUnavailableException =>
            new CloudProviderException(CloudErrorKind.Unauthorized, Backend, "CredentialUnavailable", error.Message, inner: error),
        _ => Transport(error),
    };

    /// <summary>
    /// Why Azure gave up on a machine it had accepted, from its instance view's <c>ProvisioningState/failed/{code}</c>
    /// status (e.g. <c>AllocationFailed</c> after a create was accepted).
    /// </summary>
    public static CloudMachineFailure ClassifyProvisioningFailure(string code, string? message) => Failure(code, message);

    static CloudErrorKind ICloudErrorCodes.KindOf(string code, string message, int httpStatus) => code switch
    {
        "TooManyRequests" or "SubscriptionRequestsThrottled" or "ResourceRequestsThrottled" => CloudErrorKind.Throttled,
        _ when httpStatus == (int)HttpStatusCode.TooManyRequests => CloudErrorKind.Throttled,
        "SkuNotAvailable" or "AllocationFailed" or "ZonalAllocationFailed" or "OverconstrainedAllocationRequest"
            or "OverconstrainedZonalAllocationRequest" => CloudErrorKind.InsufficientCapacity,
        // OperationNotAllowed covers many refusals; the quota ones say so ("... exceeding approved ... Cores quota").
        "OperationNotAllowed" when message.Contains("quota", StringComparison.OrdinalIgnoreCase) => CloudErrorKind.QuotaExceeded,
        "QuotaExceeded" => CloudErrorKind.QuotaExceeded,
        "AuthenticationFailed" or "AuthorizationFailed" or "LinkedAuthorizationFailed" or "InvalidAuthenticationToken"
            or "InvalidAuthenticationTokenTenant" or "ExpiredAuthenticationToken" => CloudErrorKind.Unauthorized,
        _ when httpStatus is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => CloudErrorKind.Unauthorized,
        // A missing resource group or subscription is our configuration, not a machine that is gone.
        "ResourceGroupNotFound" or "SubscriptionNotFound" => CloudErrorKind.InvalidRequest,
        "ResourceNotFound" or "NotFound" => CloudErrorKind.NotFound,
        _ when httpStatus == (int)HttpStatusCode.NotFound => CloudErrorKind.NotFound,
        "InternalServerError" or "InternalExecutionError" or "InternalOperationError" or "ServiceUnavailable" or "GatewayTimeout"
            or "RetryableError" => CloudErrorKind.Transient,
        _ when httpStatus >= (int)HttpStatusCode.InternalServerError => CloudErrorKind.Transient,
        _ => CloudErrorKind.InvalidRequest,
    };

    /// <summary>ARM's own sentence (<c>error.message</c>), not the SDK's dump of status, headers and body.</summary>
    private static string MessageOf(RequestFailedException error)
    {
        var content = error.GetRawResponse()?.Content;
        if (content is not null)
        {
            try
            {
                using var body = JsonDocument.Parse(content.ToMemory());
                if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var inner)
                    && inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString()!;
                }
            }
            catch (JsonException)
            {
                // Not ARM's error body (a proxy's page, say): the SDK's first line below.
            }
        }

        return error.Message.Split('\n', 2)[0].Trim();
    }

    private static TimeSpan? RetryAfterOf(RequestFailedException error) =>
        error.GetRawResponse() is { } response && response.Headers.TryGetValue("Retry-After", out var value)
            && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
