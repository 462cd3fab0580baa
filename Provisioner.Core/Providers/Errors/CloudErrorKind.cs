namespace Provisioner.Core.Providers;

/// <summary>The classes every adapter maps its cloud's errors onto. The caller picks its next move by class.</summary>
public enum CloudErrorKind
{
    /// <summary>The cloud asked us to slow down; retry after its retry-after.</summary>
    Throttled,

    /// <summary>5xx, timeouts, connection resets: retry with backoff.</summary>
    Transient,

    /// <summary>No capacity for this type in this region or zone: try elsewhere, not again in place.</summary>
    InsufficientCapacity,

    /// <summary>An account limit was hit: not retried.</summary>
    QuotaExceeded,

    /// <summary>The cloud rejected the request as malformed: never retried.</summary>
    InvalidRequest,

    /// <summary>The cloud does not know the resource.</summary>
    NotFound,

    /// <summary>Credentials or permissions are wrong: a configuration problem, never retried.</summary>
    Unauthorized,
}
