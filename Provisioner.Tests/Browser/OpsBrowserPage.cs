using System.Collections.Concurrent;
using Microsoft.Playwright;
using Provisioner.Api.Ops;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// One browser tab in a fresh context (no cookies), for one test. Every page it shows is written as a screenshot
/// into the test reports folder, and every address it asked for is kept, so a test can prove nothing came from elsewhere.
/// </summary>
public sealed class OpsBrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _test;
    private readonly ConcurrentQueue<string> _requested = new();
    private int _shots;

    private OpsBrowserPage(IBrowserContext context, IPage page, string test)
    {
        _context = context;
        Page = page;
        _test = test;
        page.Request += (_, request) => _requested.Enqueue(request.Url);
    }

    public IPage Page { get; }

    public IReadOnlyCollection<string> Requested => _requested;

    /// <summary>Requests made with the tab's cookies, as a script on the page would make them.</summary>
    public IAPIRequestContext Http => _context.APIRequest;

    public static async Task<OpsBrowserPage> OpenAsync(OpsStack stack, string test)
    {
        var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.Api.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        // The machine is shared and slow at times; a page that never comes still fails, just later.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return new OpsBrowserPage(context, await context.NewPageAsync(), test);
    }

    public async Task<IResponse?> GotoAsync(string path, string shot)
    {
        var response = await Page.GotoAsync(path);
        await ShotAsync(shot);
        return response;
    }

    /// <summary>Types <paramref name="key"/> into the login form and submits it; the answer of the page it ends on.</summary>
    public async Task<IResponse> SignInAsync(string key, string shot)
    {
        await Page.Locator("#key").FillAsync(key);
        return await SubmitAsync("Sign in", shot);
    }

    public Task<IResponse> SignOutAsync(string shot) => SubmitAsync("Sign out", shot);

    /// <summary>Opens the login page for <paramref name="returnUrl"/> and signs in with the admin key; the page it lands on is shot.</summary>
    public async Task SignInToAsync(OpsStack stack, string returnUrl, string shot)
    {
        await GotoAsync($"/ops/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login");
        await SignInAsync(stack.AdminKey, shot);
    }

    /// <summary>Clicks a form's button; returns the last answer of the redirects that follow, once its page has loaded.</summary>
    public async Task<IResponse> SubmitAsync(string button, string shot)
    {
        var response = await Page.RunAndWaitForResponseAsync(
            () => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = button }).ClickAsync(),
            r => r.Request.IsNavigationRequest && r.Frame == Page.MainFrame && r.Status is < 300 or >= 400);
        // The document is enough: waiting for every script and style of the page (the jobs dashboard has several)
        // only adds time on a loaded machine and proves nothing more.
        await WaitForPageAsync(response.Url);
        await ShotAsync(shot);
        return response;
    }

    /// <summary>
    /// Waits until the tab shows <paramref name="url"/> and its document has been parsed. Not Playwright's
    /// <c>WaitForURLAsync</c>: its .NET client reads the frame's load states and only then subscribes to them, without
    /// the lock their handler takes (<c>Frame.WaitForNavigationAsync</c>), so a DOMContentLoaded that lands between the
    /// two is never seen and the wait runs out. CI met it once: 60 s with only "NetworkIdle event fired" in its log.
    /// Here the address is polled and the document's own <c>readyState</c> is read, neither of which can be missed.
    /// </summary>
    public async Task WaitForPageAsync(string url)
    {
        // As a pattern: the string overload does not compare an address with a query (?done=...) literally.
        var exactly = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(url) + "$");
        await Assertions.Expect(Page).ToHaveURLAsync(exactly, new PageAssertionsToHaveURLOptions { Timeout = 60_000 });
        await Page.WaitForFunctionAsync("() => document.readyState !== 'loading'");
    }

    public async Task<BrowserContextCookiesResult?> SessionCookieAsync() =>
        (await _context.CookiesAsync()).SingleOrDefault(c => c.Name == OpsAuthentication.CookieName);

    public async Task ShotAsync(string step) =>
        TestReports.WriteFile($"ops-{_test}-{++_shots:00}-{step}.png", await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }));

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
