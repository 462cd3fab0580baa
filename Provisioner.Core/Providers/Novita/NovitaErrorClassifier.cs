using System.Net;

namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// Novita's errors onto the port's classes, in one place. Novita answers most refusals with a 400 and names the error
/// (<c>INSUFFICIENT_RESOURCE</c>, <c>RESOURCE_NOT_FOUND</c>, ...): the name decides before the status, and a 429 is
/// throttled whatever it says. A timeout or a broken connection is transient.
/// </summary>
public sealed class NovitaErrorClassifier : CloudErrorClassifier<NovitaErrorClassifier>, ICloudErrorCodes
{
    public const string Backend = "NOVITA";

    static string ICloudErrorCodes.BackendName => Backend;

    /// <summary>
    /// Why Novita gave up on an instance it had accepted (its <c>statusError</c>), classified like a refused call, or null
    /// when it reports none.
    /// </summary>
    public static CloudMachineFailure? ClassifyStatusError(string? state, string? message)
    {
        if (string.IsNullOrEmpty(state) && string.IsNullOrEmpty(message))
        {
            return null;
        }

        return Failure(string.IsNullOrEmpty(state) ? "UNKNOWN" : state, message);
    }

    /// <summary>Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable.</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } when delta > TimeSpan.Zero => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };

    /// <summary>
    /// The spellings a spot reclaim is known or reported to take (Novita's reference does not settle it: see
    /// cloud-apis.md §3.5): compared without case and without separators (<c>SPOT_RECLAIMED</c>, <c>spot-reclaimed</c>,
    /// <c>SpotReclaimed</c> are one).
    /// </summary>
    private static readonly HashSet<string> ReclaimCodes = new(StringComparer.Ordinal)
    {
        "SPOTRECLAIMED", "SPOTRECLAIM", "SPOTINSTANCERECLAIMED", "RECLAIMED", "INSTANCERECLAIMED",
        "SPOTPREEMPTED", "PREEMPTED", "SPOTINTERRUPTED", "SPOTINTERRUPTION", "SPOTTERMINATED",
    };

    /// <summary>
    /// Whether Novita's words say the cloud took a spot machine back: a known code, or (its codes being unsettled) a message
    /// that says reclaimed or preempted. A reclaim is a loss of capacity, never an invalid request.
    /// </summary>
    public static bool IsReclaim(string code, string? message)
    {
        var normalized = string.Concat(code.Where(char.IsLetterOrDigit)).ToUpperInvariant();
        return ReclaimCodes.Contains(normalized)
            || message is not null && (message.Contains("reclaim", StringComparison.OrdinalIgnoreCase) || message.Contains("preempt", StringComparison.OrdinalIgnoreCase));
    }

    static CloudErrorKind ICloudErrorCodes.KindOf(string code, string message, int httpStatus) => code switch
    {
        _ when httpStatus == (int)HttpStatusCode.TooManyRequests => CloudErrorKind.Throttled,
        _ when IsReclaim(code, message) => CloudErrorKind.InsufficientCapacity,
        "RATE_LIMIT_EXCEEDED" => CloudErrorKind.Throttled,
        // No stock of the product in the cluster (or of its spot market): another offering is the next move.
        "INSUFFICIENT_RESOURCE" or "NO_AVAILABLE_PRODUCT" or "SPOT_PRICE_ABOVE_CEILING" => CloudErrorKind.InsufficientCapacity,
        "CREATE_INSTANCE_LIMIT" or "BALANCE_NOT_ENOUGH" => CloudErrorKind.QuotaExceeded,
        "UNAUTHORIZED" or "FORBIDDEN" => CloudErrorKind.Unauthorized,
        _ when httpStatus is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => CloudErrorKind.Unauthorized,
        // Novita answers a missing instance with a 400 named RESOURCE_NOT_FOUND (its reference models no 404).
        "RESOURCE_NOT_FOUND" => CloudErrorKind.NotFound,
        _ when httpStatus == (int)HttpStatusCode.NotFound => CloudErrorKind.NotFound,
        "UNKNOWN" or "INTERNAL_ERROR" or "SERVICE_UNAVAILABLE" => CloudErrorKind.Transient,
        _ when httpStatus >= (int)HttpStatusCode.InternalServerError => CloudErrorKind.Transient,
        _ => CloudErrorKind.InvalidRequest,
    };
}
