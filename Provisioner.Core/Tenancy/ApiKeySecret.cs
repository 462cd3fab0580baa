using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Provisioner.Core.Tenancy;

/// <summary>The format of keys, their generation and their check. Nothing here is hand-rolled crypto.</summary>
public static partial class ApiKeySecret
{
    public const string Prefix = "prov_";

    /// <summary>Splits <c>prov_{id}_{secret}</c>; false for anything else.</summary>
    public static bool TryParse(string? presented, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (presented is null || presented.Length > 100)
        {
            return false;
        }

        var match = KeyRegex().Match(presented);
        if (!match.Success)
        {
            return false;
        }

        id = match.Groups["id"].Value;
        secret = match.Groups["secret"].Value;
        return true;
    }

    public static (string Id, string Secret, string Key) Generate()
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, secret, $"{Prefix}{id}_{secret}");
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    /// <summary>Compares in constant time, so response timing tells nothing about how close a guess was.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    [GeneratedRegex("^prov_(?<id>[A-Za-z0-9_-]{12})_(?<secret>[A-Za-z0-9_-]{43})$")]
    private static partial Regex KeyRegex();
}
