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
        services.AddRateLimiter(limiter => limiter.OnRejected = async (rejected, cancellationToken) =>
            await WriteRejectedAsync(rejected.HttpContext, rejected.Lease, "This caller's request budget is spent"));
        // Timer-less buckets (TokenBuckets says why), so the limiter is built where the clock can be had.
        services.AddOptions<RateLimiterOptions>().Configure<TimeProvider>((limiter, clock) =>
            limiter.GlobalLimiter = new TokenBuckets<HttpContext>(context =>
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
            }, clock));
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

    /// <summary>A bucket of <paramref name="burst"/> tokens, <paramref name="perSecond"/> added each second.</summary>
    internal static TokenBucket Bucket(string partition, int perSecond, int burst) => new(partition, perSecond, burst);
}
