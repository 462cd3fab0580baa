namespace Provisioner.Client;

/// <summary>Where the API is, the key to send, and how patient to be with a busy API.</summary>
public sealed class ProvisionerClientOptions
{
    /// <summary>The API's base address, e.g. <c>http://localhost:8080</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key (<c>prov_…</c>), sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times a 429 or 503 answer is retried before it is thrown. Default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first wait before a retry when the answer has no <c>Retry-After</c>; doubled each time. Default 0.5 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait before a retry. A <c>Retry-After</c> longer than this is not waited out: the problem is thrown,
    /// so a caller is never held for minutes without knowing why. Default 30 s.
    /// </summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for retry and polling delays (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
