using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Webhooks;

/// <summary>Webhook targets and their delivery. Section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Host names or addresses exempt from the private-network refusal (how local development and the tests reach a
    /// receiver on 127.0.0.1). Matched exactly, case-insensitively, against the URL's host. Default: none.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Whether plain <c>http</c> targets are accepted; otherwise only <c>https</c>. Default false.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>How long one attempt may take, connecting and answering. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before a delivery fails. With the default delays the last is about 20 hours after the first. Default 12.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Wait after the first failed attempt; it doubles (±20% jitter) up to <see cref="RetryMaxDelay"/>. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between attempts. Default 6 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Deliveries one worker sends to one receiver host at once; more wait their turn. Default 4.</summary>
    [Range(1, 100)]
    public int MaxConcurrencyPerHost { get; set; } = 4;

    /// <summary>How long the previous secret keeps signing after a rotation. Default 24 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most of a receiver's response body read and recorded. Default 1 KiB.</summary>
    [Range(0, WebhookAttempt.MaxExcerptLength)]
    public int ResponseExcerptBytes { get; set; } = WebhookAttempt.MaxExcerptLength;
}
