using System.ComponentModel.DataAnnotations;

namespace Provisioner.Api.Security;

/// <summary>
/// Requests allowed per API key, per operator session, and per client address for calls without a valid key (the
/// console's login page has a per-address budget of its own). Section <c>RateLimits</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sustained requests per second per key. Default 20.</summary>
    [Range(1, 100_000)]
    public int PermitsPerSecond { get; set; } = 20;

    /// <summary>Requests a key may send at once before the sustained rate applies. Default 40.</summary>
    [Range(1, 100_000)]
    public int Burst { get; set; } = 40;

    /// <summary>Per client address, for requests without a valid key (this also slows key guessing). Default 5.</summary>
    [Range(1, 100_000)]
    public int AnonymousPermitsPerSecond { get; set; } = 5;

    /// <summary>Default 20.</summary>
    [Range(1, 100_000)]
    public int AnonymousBurst { get; set; } = 20;

    /// <summary>
    /// Sustained requests per second per operator console session (a page and the jobs dashboard's polling), counted
    /// apart from anonymous callers so that a flood from the operator's address cannot lock the operator out. Default 20.
    /// </summary>
    [Range(1, 100_000)]
    public int SessionPermitsPerSecond { get; set; } = 20;

    /// <summary>Default 60.</summary>
    [Range(1, 100_000)]
    public int SessionBurst { get; set; } = 60;

    /// <summary>Largest request body accepted, in bytes. Default 64 KiB.</summary>
    [Range(1024, 10_485_760)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
