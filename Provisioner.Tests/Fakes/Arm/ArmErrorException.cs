namespace Provisioner.Tests.Fakes.Arm;

/// <summary>An ARM error as the API returns it: <c>{"error":{"code","message"}}</c>, an HTTP status and, when throttled, a Retry-After.</summary>
public sealed class ArmErrorException(string code, string message, int status = 400, int? retryAfterSeconds = null) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    public static ArmErrorException Throttled(int retryAfterSeconds = 1) =>
        new("TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Write_30Min.", 429, retryAfterSeconds);

    public static ArmErrorException SkuNotAvailable(string size, string location) =>
        new("SkuNotAvailable", $"The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: {size}' is currently not available in location '{location}'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.", 409);

    public static ArmErrorException CoresQuota(string family) =>
        new("OperationNotAllowed", $"Operation could not be completed as it results in exceeding approved {family} Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 0, Current Usage: 0, Additional Required: 4, (Minimum) New Limit Required: 4.", 409);

    public static ArmErrorException InvalidParameter(string target, string message) => new("InvalidParameter", message, 400) { Target = target };

    public static ArmErrorException NotFound(string type, string name, string resourceGroup) =>
        new("ResourceNotFound", $"The Resource '{type}/{name}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", 404);

    /// <summary>The property the error is about, as ARM's <c>error.target</c>.</summary>
    public string? Target { get; init; }
}
