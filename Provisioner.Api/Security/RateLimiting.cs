using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Provisioner.Api.Problems;
using Provisioner.Core.Hosting;

namespace Provisioner.Api.Security;

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per API key, per console session, or per address without either
/// (the console's login page apart from the API's anonymous callers); 429 with Retry-After.
/// </summary>
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
                var address = context.Connection.RemoteIpAddress;
                return context.User.KeyId() is { } keyId
                    ? OpsSessionIdentity.IsSession(context.User)
                        ? Bucket($"session:{keyId}", limits.SessionPermitsPerSecond, limits.SessionBurst)
                        : Bucket($"key:{keyId}", limits.PermitsPerSecond, limits.Burst)
                    : context.Request.Path.StartsWithSegments(Ops.OpsAuthentication.LoginPath, StringComparison.OrdinalIgnoreCase)
                        ? Bucket($"login:{address}", limits.AnonymousPermitsPerSecond, limits.AnonymousBurst)
                        : Bucket($"ip:{address}", limits.AnonymousPermitsPerSecond, limits.AnonymousBurst);
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
                await WriteRejectedAsync(rejected.HttpContext, rejected.Lease, "This caller's request budget is spent");
        });
        services.AddSingleton<KeyLookupLimiter>();
        return services;
    }

    /// <summary>The 429 problem, with Retry-After from the lease (at least a second).</summary>
    public static async Task WriteRejectedAsync(HttpContext context, RateLimitLease lease, string what)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.WriteAsync(context, ApiProblems.Build(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
            "Too many requests.", $"{what}; retry after {seconds} s.", []));
    }

    internal static RateLimitPartition<string> Bucket(string partition, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
