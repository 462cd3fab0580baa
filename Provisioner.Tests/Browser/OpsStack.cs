using Microsoft.Playwright;
using Provisioner.Tests.Fakes.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// The API, and a headless Chromium to drive it: Debian's build (deploy/local/test.sh installs it), never a
/// browser Playwright would download. <c>PROVISIONER_CHROMIUM</c> names another executable. No worker starts with
/// it; a test whose operator action needs one asks for the stack's single shared worker (<see cref="EnsureWorkerAsync"/>),
/// so the tests that only read pages leave the two cores to the other stacks. A webhook receiver on loopback, with
/// few, fast attempts, lets a delivery fail within a test.
/// </summary>
public sealed class OpsStack : ProvisionerStack
{
    public const string ChromiumVariable = "PROVISIONER_CHROMIUM";
    private const string DefaultChromium = "/usr/bin/chromium";

    public const int WebhookMaxAttempts = 2;

    private readonly SemaphoreSlim _workerStart = new(1, 1);
    private IPlaywright? _playwright;
    private HostProcess? _worker;

    public IBrowser Browser { get; private set; } = null!;

    protected override int WorkerCount => 0;

    // A worker started by a test leaves a failed job for the operator rather than handing its work off again.
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Jobs__LostJobAfter"] = "00:10:00",
        ["Webhooks__AllowedHosts__0"] = Receiver.BaseUrl.Authority,
        ["Webhooks__AllowHttp"] = "true",
        ["Webhooks__MaxAttempts"] = WebhookMaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Webhooks__RetryInitialDelay"] = "00:00:00.200",
        ["Webhooks__RetryMaxDelay"] = "00:00:00.500",
    };

    public WebhookReceiver Receiver { get; private set; } = null!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : DefaultChromium;

    public override async Task InitializeAsync()
    {
        // A failure in here leaves the API up unless this stops it: the base does so for its own part.
        // The base's own failure calls DisposeAsync, which is this class's and stops the receiver too.
        Receiver = await WebhookReceiver.StartAsync();
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
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
            Receiver = null!;
        }
    }

    /// <summary>Starts the stack's one worker the first time a test needs it; later calls return it.</summary>
    public async Task<HostProcess> EnsureWorkerAsync()
    {
        await _workerStart.WaitAsync();
        try
        {
            return _worker ??= await StartWorkerAsync("ops-worker");
        }
        finally
        {
            _workerStart.Release();
        }
    }

    /// <summary>The absolute address of a path on the API, as the browser shows it.</summary>
    public string Url(string pathAndQuery) => new Uri(Api.BaseAddress, pathAndQuery).ToString();

    /// <summary>A client that shows redirects instead of following them.</summary>
    public HttpClient CreateRawClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
