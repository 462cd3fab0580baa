using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provisioner.Tests.Fakes.Ec2;

/// <summary>
/// Checks an AWS Signature Version 4 as EC2 does, so the local EC2 refuses what the real one would: a wrong
/// secret, a tampered body, a stale date. The client side signs with AWSSDK.Core's own signer; this side
/// recomputes the signature from the documented algorithm (HMAC-SHA256 from the BCL), and is itself checked
/// against the published test vector.
/// </summary>
public static class SigV4Verifier
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>Null when the request is signed correctly with <paramref name="secretKey"/>; else EC2's error code.</summary>
    public static string? Verify(
        string method, string path, string query, IReadOnlyDictionary<string, string> headers, byte[] body,
        string accessKey, string secretKey, string service, DateTimeOffset now)
    {
        if (!headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "MissingAuthenticationToken";
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
        {
            return "IncompleteSignature";
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[3] != service)
        {
            return "IncompleteSignature";
        }

        if (scope[0] != accessKey)
        {
            return "AuthFailure";
        }

        if (!headers.TryGetValue("x-amz-date", out var amzDate)
            || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return "IncompleteSignature";
        }

        if ((now - signedAt).Duration() > MaxSkew)
        {
            return "RequestExpired";
        }

        var expected = Sign(method, path, query, headers, signedHeaders, body, secretKey, amzDate, scope[1], scope[2], service);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)) ? null : "AuthFailure";
    }

    /// <summary>The hex signature of a request, per the SigV4 steps.</summary>
    public static string Sign(
        string method, string path, string query, IReadOnlyDictionary<string, string> headers, string signedHeaders, byte[] body,
        string secretKey, string amzDate, string date, string region, string service)
    {
        var canonicalHeaders = string.Concat(signedHeaders.Split(';').Select(name =>
            $"{name}:{CollapseSpaces(headers.TryGetValue(name, out var value) ? value : string.Empty)}\n"));
        var canonicalRequest = string.Join('\n',
            method, string.IsNullOrEmpty(path) ? "/" : path, CanonicalQuery(query), canonicalHeaders, signedHeaders, Hex(SHA256.HashData(body)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(p => (Key: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);

    private static string CollapseSpaces(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
