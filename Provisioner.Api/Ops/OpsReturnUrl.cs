namespace Provisioner.Api.Ops;

/// <summary>Where a login may send the browser next: only to a page of this console, so a crafted link cannot redirect elsewhere.</summary>
internal static class OpsReturnUrl
{
    /// <summary>The overview: the console's landing page, which links to everything else (the jobs dashboard included).</summary>
    public const string Default = OpsAuthentication.BasePath;

    public static string Resolve(string? requested) => IsOpsPath(requested) ? requested! : Default;

    private static bool IsOpsPath(string? url) =>
        url is not null
        && (url == OpsAuthentication.BasePath || url.StartsWith(OpsAuthentication.BasePath + "/", StringComparison.Ordinal))
        // Backslashes and control characters are how "/ops/..\\evil" style links slip past path checks in browsers.
        && !url.Any(c => c == '\\' || char.IsControl(c))
        && !url.StartsWith(OpsAuthentication.LoginPath, StringComparison.Ordinal);
}
