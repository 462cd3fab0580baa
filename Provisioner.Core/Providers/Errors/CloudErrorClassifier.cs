using System.Diagnostics.CodeAnalysis;

namespace Provisioner.Core.Providers;

/// <summary>What each adapter's classifier states: its backend's name and how its cloud's codes map onto the port's classes.</summary>
public interface ICloudErrorCodes
{
    /// <summary>The backend named in every classified failure (<c>AWS</c>, <c>AZURE</c>, ...).</summary>
    static abstract string BackendName { get; }

    /// <summary>
    /// The class of a cloud's answer. The code decides before the status (clouds answer many refusals with a 400 or a
    /// 409 and name the error); <paramref name="httpStatus"/> is 0 for a machine's own failure state, which has none.
    /// </summary>
    static abstract CloudErrorKind KindOf(string code, string message, int httpStatus);
}

/// <summary>
/// The body every adapter's error classifier shares: a code becomes a <see cref="CloudProviderException"/> of its class
/// (throttled ones carry the wait the cloud named, or <see cref="ThrottleBackoff"/>), a failure below HTTP is transient,
/// a machine the cloud gave up on gets a <see cref="CloudMachineFailure"/>, and an SDK call is guarded so nothing
/// above the adapter sees an SDK exception. Each adapter's <c>{Cloud}ErrorClassifier</c> states only its codes.
/// </summary>
/// <typeparam name="TCodes">The adapter's classifier itself.</typeparam>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "Called through each adapter's own classifier (AwsErrorClassifier.Classify), never naming the generic base.")]
public abstract class CloudErrorClassifier<TCodes>
    where TCodes : CloudErrorClassifier<TCodes>, ICloudErrorCodes
{
    private protected CloudErrorClassifier()
    {
    }

    /// <summary>A throttled answer without a <c>Retry-After</c> (EC2 never names one): the caller waits this long before its next try.</summary>
    public static readonly TimeSpan ThrottleBackoff = TimeSpan.FromSeconds(1);

    public static CloudProviderException Classify(string code, string message, int httpStatus, TimeSpan? retryAfter = null, Exception? inner = null)
    {
        var kind = TCodes.KindOf(code, message, httpStatus);
        return new CloudProviderException(kind, TCodes.BackendName, code, message, kind == CloudErrorKind.Throttled ? retryAfter ?? ThrottleBackoff : null, inner);
    }

    /// <summary>A failure below HTTP (refused connection, reset, a call past its timeout): worth another try.</summary>
    public static CloudProviderException Transport(Exception error, bool timedOut = false) =>
        new(CloudErrorKind.Transient, TCodes.BackendName, timedOut ? "Timeout" : "ConnectionFailure", error.Message, inner: error);

    /// <summary>Why the cloud gave up on a machine it had accepted, classified like a refused call.</summary>
    public static CloudMachineFailure Failure(string code, string? message) =>
        new(TCodes.KindOf(code, message ?? string.Empty, 0), TCodes.BackendName, code, string.IsNullOrEmpty(message) ? code : message);

    /// <summary>
    /// Runs an SDK call so that nothing above the adapter sees an SDK exception: every failure but our own
    /// cancellation becomes the port's class through <paramref name="classify"/>.
    /// </summary>
    public static async Task<T> GuardAsync<T>(Func<CancellationToken, Task<T>> call, Func<Exception, CloudProviderException> classify, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception error) when (error is not CloudProviderException && !(error is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw classify(error);
        }
    }
}
