using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Provisioner.Api.Problems;
using Provisioner.Core.Hosting;

namespace Provisioner.Api.Security;

/// <summary>ASP.NET Core's rate limiter, one token bucket per API key (or per address without one); 429 with Retry-After.</summary>
internal static class RateLimiting
{
    public static IServiceCollection AddProvisionerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<RateLimitOptions>(configuration, RateLimitOptions.Section);
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return context.User.KeyId() is { } keyId
                    ? Bucket($"key:{keyId}", limits.PermitsPerSecond, limits.Burst)
                    : Bucket($"ip:{context.Connection.RemoteIpAddress}", limits.AnonymousPermitsPerSecond, limits.AnonymousBurst);
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.WriteAsync(rejected.HttpContext, ApiProblems.Build(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
                    "Too many requests.", $"This key's request budget is spent; retry after {seconds} s.", []));
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Bucket(string partition, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
