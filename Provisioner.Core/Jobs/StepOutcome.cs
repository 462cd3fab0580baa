using Provisioner.Core.Providers;

namespace Provisioner.Core.Jobs;

/// <summary>
/// What a step asks of the one retry policy. A step never throws for a cloud's answer: it settles the
/// instance, schedules its own follow-up, or asks for the same step again after a back-off.
/// </summary>
public sealed record StepOutcome
{
    private StepOutcome(CloudProviderException? retryBecause) => RetryBecause = retryBecause;

    /// <summary>The step did what the state called for (including scheduling any follow-up itself).</summary>
    public static StepOutcome Done { get; } = new((CloudProviderException?)null);

    /// <summary>A throttled or transient cloud failure: run the same step again after a back-off.</summary>
    public static StepOutcome Retry(CloudProviderException because) => new(because);

    public CloudProviderException? RetryBecause { get; }

    public bool IsRetry => RetryBecause is not null;
}
