using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Provisioner.Client.Webhooks;

/// <summary>
/// Checks a webhook the API sent, as Standard Webhooks defines: <c>webhook-signature</c> holds one or more
/// <c>v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, keyed by the secret after its <c>whsec_</c> prefix.
/// During a secret rotation the API signs with both secrets; give the verifier every secret you hold.
/// A timestamp further than <see cref="Tolerance"/> from now is refused, so a captured webhook cannot be replayed later.
/// </summary>
public sealed class WebhookVerifier
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    private const string SecretPrefix = "whsec_";

    private readonly IReadOnlyList<byte[]> _keys;
    private readonly TimeProvider _clock;

    public WebhookVerifier(string secret, TimeProvider? clock = null, TimeSpan? tolerance = null)
        : this([secret], clock, tolerance)
    {
    }

    public WebhookVerifier(IEnumerable<string> secrets, TimeProvider? clock = null, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = [.. secrets.Select(KeyOf)];
        if (_keys.Count == 0)
        {
            throw new ArgumentException("Give at least one signing secret.", nameof(secrets));
        }

        _clock = clock ?? TimeProvider.System;
        Tolerance = tolerance ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>How far the timestamp may be from now. Default 5 minutes, as Standard Webhooks advises.</summary>
    public TimeSpan Tolerance { get; }

    /// <summary>Verifies and parses; <paramref name="header"/> looks a header up by name (null when absent).</summary>
    public WebhookEvent Verify(Func<string, string?> header, string body)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Verify(header(IdHeader), header(TimestampHeader), header(SignatureHeader), body);
    }

    /// <summary>Verifies the three headers against the raw body (exactly as received) and parses the event.</summary>
    public WebhookEvent Verify(string? id, string? timestamp, string? signature, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            throw new WebhookVerificationException($"The {IdHeader}, {TimestampHeader} and {SignatureHeader} headers are all required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new WebhookVerificationException($"{TimestampHeader} is not a Unix time in seconds.");
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((_clock.GetUtcNow() - sent).Duration() > Tolerance)
        {
            throw new WebhookVerificationException($"{TimestampHeader} is more than {Tolerance} from now: refused as a possible replay.");
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        var expected = _keys.Select(key => HMACSHA256.HashData(key, signed)).ToList();
        var matched = false;
        foreach (var part in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal) || !TryBase64(part[3..], out var presented))
            {
                continue;
            }

            // Every comparison runs, in constant time, so timing tells nothing about which byte differed.
            foreach (var candidate in expected)
            {
                matched |= CryptographicOperations.FixedTimeEquals(candidate, presented);
            }
        }

        if (!matched)
        {
            throw new WebhookVerificationException("No signature matches a known secret.");
        }

        WebhookEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<WebhookEvent>(body, ClientJson.Options);
        }
        catch (JsonException error)
        {
            throw new WebhookVerificationException("The signed body is not a webhook event: " + error.Message);
        }

        return parsed is not null && parsed.Id == id
            ? parsed
            : throw new WebhookVerificationException("The body's id is not the webhook-id header.");
    }

    /// <summary>Like <see cref="Verify(string?, string?, string?, string)"/>, without throwing.</summary>
    public bool TryVerify(string? id, string? timestamp, string? signature, string body, out WebhookEvent? webhookEvent)
    {
        try
        {
            webhookEvent = Verify(id, timestamp, signature, body);
            return true;
        }
        catch (WebhookVerificationException)
        {
            webhookEvent = null;
            return false;
        }
    }

    private static byte[] KeyOf(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        return TryBase64(encoded, out var key) ? key : throw new ArgumentException("A signing secret is whsec_ and base64.", nameof(secret));
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
