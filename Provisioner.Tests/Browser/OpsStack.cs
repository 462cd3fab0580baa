using Microsoft.Playwright;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// The API alone, and a headless Chromium to drive it: Debian's build (deploy/local/test.sh installs it), never a
/// browser Playwright would download. <c>PROVISIONER_CHROMIUM</c> names another executable.
/// </summary>
public sealed class OpsStack : ProvisionerStack
{
    public const string ChromiumVariable = "PROVISIONER_CHROMIUM";
    private const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    protected override int WorkerCount => 0;

    // A worker started by a test leaves a failed job for the operator rather than handing its work off again.
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Jobs__LostJobAfter"] = "00:10:00",
    };

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : DefaultChromium;

    public override async Task InitializeAsync()
    {
        // A failure in here leaves the API up unless this stops it: the base does so for its own part.
        await base.InitializeAsync();
        try
        {
            if (!File.Exists(ChromiumPath))
            {
                throw new FileNotFoundException(
                    $"No Chromium at {ChromiumPath}. deploy/local/test.sh installs Debian's chromium; or set {ChromiumVariable}.", ChromiumPath);
            }

            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Timeout = 60_000,
            });
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser = null!;
        }

        _playwright?.Dispose();
        _playwright = null;
        await base.DisposeAsync();
    }

    /// <summary>The absolute address of a path on the API, as the browser shows it.</summary>
    public string Url(string pathAndQuery) => new Uri(Api.BaseAddress, pathAndQuery).ToString();

    /// <summary>A client that shows redirects instead of following them.</summary>
    public HttpClient CreateRawClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
