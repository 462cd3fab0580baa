using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Provisioner.Core.Tenancy;

namespace Provisioner.Api.Security;

/// <summary>
/// Runs before authentication: a presented key whose id is not remembered (neither as a key nor as a miss) costs a
/// database read, so each such read takes a permit from the caller's address at the anonymous rate; requests for an id
/// whose read is under way share it and take none. Out of permits,
/// the answer is 429 before any read: a flood of made-up keys costs the database nothing. Remembered ids, malformed
/// keys and requests without a key pass untouched (their checks read nothing).
/// </summary>
internal sealed class KeyLookupLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public KeyLookupLimiter(IOptions<RateLimitOptions> options, TimeProvider clock)
    {
        var limits = options.Value;
        _limiter = new TokenBuckets<HttpContext>(context =>
            RateLimiting.Bucket($"lookup:{context.Connection.RemoteIpAddress}", limits.AnonymousPermitsPerSecond, limits.AnonymousBurst), clock);
    }

    public void Dispose() => _limiter.Dispose();

    public async Task InvokeAsync(HttpContext context, Func<Task> next, ApiKeyService keys)
    {
        if (PresentedKeyId(context.Request) is { } id && !keys.IsRemembered(id))
        {
            // Only the request that would start a read takes a permit: the others presenting the same id while it is
            // under way wait for its answer (a valid key's first burst is not refused for being new to this process).
            RateLimitLease? lease = null;
            var lookup = keys.LookUpOnce(id, () => (lease = _limiter.AttemptAcquire(context)).IsAcquired);
            using (lease)
            {
                if (lookup is null)
                {
                    await RateLimiting.WriteRejectedAsync(context, lease!, "Too many unknown keys from this address");
                    return;
                }
            }

            await lookup.WaitAsync(context.RequestAborted);
        }

        await next();
    }

    private static string? PresentedKeyId(HttpRequest request)
    {
        var bearer = request.Headers.Authorization.ToString();
        var presented = bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer["Bearer ".Length..].Trim() : request.Headers[ApiKeyAuthentication.HeaderName].ToString();
        return ApiKeySecret.TryParse(presented, out var id, out _) ? id : null;
    }
}
