namespace Provisioner.Core.Providers;

/// <summary>
/// One worker's cloud calls in one minute, per provider, region and outcome class (<c>ok</c> or the
/// <see cref="CloudErrorKind"/> name), and how often and how long its own rate limiter held calls back. Workers
/// count in memory and add their counts here every few seconds, so the console sees what every worker saw.
/// </summary>
public sealed class ProviderCallStat
{
    /// <summary>The outcome of a call that succeeded.</summary>
    public const string Ok = "ok";

    /// <summary>
    /// The outcome under which limiter waits are kept: a call waits before its outcome is known, so its wait is
    /// counted on its own row (calls 0) rather than guessed onto the call's class.
    /// </summary>
    public const string LimiterWait = "limiter_wait";

    private ProviderCallStat()
    {
        Provider = Region = Outcome = Node = string.Empty;
    }

    public ProviderCallStat(DateTimeOffset bucketStart, string provider, string region, string outcome, string node)
    {
        BucketStart = bucketStart;
        Provider = provider;
        Region = region;
        Outcome = outcome;
        Node = node;
    }

    /// <summary>The start of the minute (UTC) the counts fall in.</summary>
    public DateTimeOffset BucketStart { get; private set; }

    public string Provider { get; private set; }
    public string Region { get; private set; }
    public string Outcome { get; private set; }

    /// <summary>The worker that counted.</summary>
    public string Node { get; private set; }

    public long Calls { get; private set; }
    public long RateLimitWaits { get; private set; }
    public long RateLimitWaitMs { get; private set; }
}
