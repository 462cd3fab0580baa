using System.Security.Cryptography;
using System.Text;

namespace Provisioner.Tests.Integration.Webhooks;

/// <summary>A receiver's check of a Standard Webhooks signature, written from the specification rather than from our signer.</summary>
public static class WebhookAssertions
{
    /// <summary>Whether any <c>v1,</c> signature in the header is the HMAC of <c>id.timestamp.body</c> under <paramref name="secret"/>.</summary>
    public static bool IsSignedWith(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatureHeader.Split(' ').Any(s => s == "v1," + expected);
    }
}
