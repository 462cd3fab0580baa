using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioner.Api.Security;

/// <summary>
/// The per-caller request budget, after authentication: one token bucket per API key, per console session, or per
/// address without either (the console's login page apart from the API's anonymous callers); 429 with Retry-After.
/// Endpoints marked <c>DisableRateLimiting()</c> (health probes, <c>/metrics</c>) pass untouched, as they would
/// through ASP.NET Core's middleware.
/// </summary>
/// <remarks>
/// This does what ASP.NET Core's <c>UseRateLimiter()</c> does with a global limiter, and no more, because that
/// middleware also builds a limiter for endpoint policies whether or not any endpoint names one, and that limiter
/// wakes every 100 ms for as long as the process lives. Measured on the otherwise idle API: 23 ticks of CPU a
/// minute with the middleware, 1 without (docs/benchmarks.md, "Idle, fourth round"). The buckets are the
/// timer-less <see cref="TokenBuckets{TResource}"/> for the same reason.
/// </remarks>
internal sealed class RequestLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public RequestLimiter(IOptions<RateLimitOptions> options, TimeProvider clock)
    {
        var limits = options.Value;
        _limiter = new TokenBuckets<HttpContext>(context =>
        {
            var address = context.Connection.RemoteIpAddress;
            return context.User.KeyId() is { } keyId
                ? OpsSessionIdentity.IsSession(context.User)
                    ? RateLimiting.Bucket($"session:{keyId}", limits.SessionPermitsPerSecond, limits.SessionBurst)
                    : RateLimiting.Bucket($"key:{keyId}", limits.PermitsPerSecond, limits.Burst)
                : context.Request.Path.StartsWithSegments(Ops.OpsAuthentication.LoginPath, StringComparison.OrdinalIgnoreCase)
                    ? RateLimiting.Bucket($"login:{address}", limits.AnonymousPermitsPerSecond, limits.AnonymousBurst)
                    : RateLimiting.Bucket($"ip:{address}", limits.AnonymousPermitsPerSecond, limits.AnonymousBurst);
        }, clock);
    }

    public void Dispose() => _limiter.Dispose();

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            await next();
            return;
        }

        using var lease = _limiter.AttemptAcquire(context);
        if (!lease.IsAcquired)
        {
            await RateLimiting.WriteRejectedAsync(context, lease, "This caller's request budget is spent");
            return;
        }

        await next();
    }
}
