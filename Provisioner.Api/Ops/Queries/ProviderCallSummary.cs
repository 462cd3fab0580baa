namespace Provisioner.Api.Ops.Queries;

/// <summary>
/// One provider and region's cloud calls over the Providers page's window, every worker's summed: calls per
/// outcome class (<c>ok</c> first, then the error classes by count) and the rate limiter's waits.
/// </summary>
internal sealed record ProviderCallSummary(
    string Provider, string Region, IReadOnlyList<KeyValuePair<string, long>> CallsByOutcome, long RateLimitWaits, TimeSpan RateLimitWaited)
{
    public long Calls => CallsByOutcome.Sum(c => c.Value);
}
