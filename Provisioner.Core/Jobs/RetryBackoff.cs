namespace Provisioner.Core.Jobs;

/// <summary>The one backoff shape: exponential from a first delay, doubling, capped, with ±20% jitter so retries do not march in step.</summary>
public static class RetryBackoff
{
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    public static TimeSpan After(int attempt, TimeSpan initial, TimeSpan max)
    {
        // In seconds as a double: 2^49 times a TimeSpan would overflow before the cap applied.
        var exponential = initial.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, max.TotalSeconds);
        // Jitter is meant to differ between processes so their retries spread; tests assert the ±20% band.
#pragma warning disable RS0030
        return TimeSpan.FromSeconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
#pragma warning restore RS0030
    }
}
