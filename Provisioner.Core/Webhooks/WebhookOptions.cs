using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Provisioner.Core.Webhooks;

/// <summary>Webhook targets and their delivery. Section <c>Webhooks</c>.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>
    /// <c>host:port</c> pairs exempt from the private-network refusal (how local development and the tests reach a
    /// receiver on 127.0.0.1:9000; IPv6 as <c>[::1]:9000</c>). Host matched exactly, case-insensitively, and the port
    /// too: a host alone would let a tenant aim at every service on it (the API, a worker's metrics). Default: none.
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AllowedHostErrors(AllowedHosts).Select(error => new ValidationResult(error, [nameof(AllowedHosts)]));

    /// <summary>Why each entry of <paramref name="allowedHosts"/> that is not a <c>host:port</c> pair is refused.</summary>
    public static IEnumerable<string> AllowedHostErrors(IEnumerable<string> allowedHosts) =>
        allowedHosts.Where(entry => !TrySplitHostPort(entry, out _, out _))
            .Select(entry => $"Webhooks:AllowedHosts entry '{entry}' is not host:port (a port from 1 to 65535; IPv6 as [::1]:9000).");

    /// <summary>Splits <c>host:port</c> (<c>[v6]:port</c>); the host without brackets.</summary>
    public static bool TrySplitHostPort(string entry, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var colon = entry.LastIndexOf(':');
        if (colon <= 0 || (entry.StartsWith('[') && entry[colon - 1] != ']') || (!entry.StartsWith('[') && entry.IndexOf(':') != colon))
        {
            return false;
        }

        if (!int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = entry[..colon].Trim('[', ']');
        return host.Length > 0;
    }
}
