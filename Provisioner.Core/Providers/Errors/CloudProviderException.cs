namespace Provisioner.Core.Providers;

/// <summary>A classified cloud failure, with the cloud's own code and message kept for the failure reason.</summary>
public sealed class CloudProviderException(
    CloudErrorKind kind, string provider, string cloudCode, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{provider} {kind}: {cloudCode}: {message}", inner)
{
    public CloudErrorKind Kind { get; } = kind;
    public string Provider { get; } = provider;
    public string CloudCode { get; } = cloudCode;
    public string CloudMessage { get; } = message;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Throttled and transient failures may succeed if tried again later; nothing else will.</summary>
    public bool IsRetryable => Kind is CloudErrorKind.Throttled or CloudErrorKind.Transient;

    /// <summary>
    /// The wait the cloud (or our own rate limiter or circuit breaker) asked for before the next call, when it
    /// named one: the caller re-runs the step after it instead of failing or holding a thread.
    /// </summary>
    public TimeSpan? AskedToWait => Kind == CloudErrorKind.Throttled ? RetryAfter : null;

    /// <summary>The sentence recorded as an instance's failure reason.</summary>
    public string ToFailureReason() => $"{Kind}: {Provider} returned {CloudCode}: {CloudMessage}";
}
