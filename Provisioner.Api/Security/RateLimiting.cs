using System.Globalization;
using System.Threading.RateLimiting;
using Provisioner.Api.Problems;
using Provisioner.Core.Hosting;

namespace Provisioner.Api.Security;

/// <summary>
/// The API's rate limits: the per-caller request budget (<see cref="RequestLimiter"/>) and the budget of unknown keys'
/// database reads (<see cref="KeyLookupLimiter"/>), both token buckets from System.Threading.RateLimiting; 429 with
/// Retry-After.
/// </summary>
internal static class RateLimiting
{
    public static IServiceCollection AddProvisionerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<RateLimitOptions>(configuration, RateLimitOptions.Section);
        services.AddSingleton<RequestLimiter>();
        services.AddSingleton<KeyLookupLimiter>();
        return services;
    }

    /// <summary>The 429 problem (its status is the response's), with Retry-After from the lease (at least a second).</summary>
    public static async Task WriteRejectedAsync(HttpContext context, RateLimitLease lease, string what)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.WriteAsync(context, ApiProblems.Build(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
            "Too many requests.", $"{what}; retry after {seconds} s.", []));
    }

    /// <summary>A bucket of <paramref name="burst"/> tokens, <paramref name="perSecond"/> added each second.</summary>
    internal static TokenBucket Bucket(string partition, int perSecond, int burst) => new(partition, perSecond, burst);
}
