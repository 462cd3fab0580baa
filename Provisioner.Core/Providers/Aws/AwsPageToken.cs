namespace Provisioner.Core.Providers.Aws;

/// <summary>The port's page token for EC2: the region being listed and EC2's own NextToken within it.</summary>
internal static class AwsPageToken
{
    private const char Separator = '|';

    public static string Format(string region, string? ec2Token) => $"{region}{Separator}{ec2Token}";

    public static (string Region, string? Ec2Token) Parse(string? token, string firstRegion)
    {
        if (token is null)
        {
            return (firstRegion, null);
        }

        var at = token.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0
            ? throw new ArgumentException($"'{token}' is not a page token of this adapter.", nameof(token))
            : (token[..at], at + 1 < token.Length ? token[(at + 1)..] : null);
    }
}
