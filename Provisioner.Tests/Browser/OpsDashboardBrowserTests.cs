using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.Api.Admin;
using Provisioner.Core.Tenancy;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>An operator in a real browser: signs in at /ops/login with an admin key, uses the jobs dashboard, signs out.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsDashboardBrowserTests(OpsStack stack)
{
    private const string JobsLoginUrl = "/ops/login?ReturnUrl=%2Fops%2Fjobs";

    [Fact]
    public async Task AdminKey_SignsIn_AndSeesTheJobsDashboard()
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "admin-signs-in");

        await sut.GotoAsync("/ops/jobs", "anonymous-sent-to-login");
        sut.Page.Url.Should().Be(stack.Url(JobsLoginUrl), "a browser without a session is sent to the login form");
        var landed = await sut.SignInAsync(stack.AdminKey, "jobs-dashboard");

        landed.Status.Should().Be(200);
        sut.Page.Url.Should().Be(stack.Url("/ops/jobs"));
        await Assertions.Expect(sut.Page.Locator("a.navbar-brand")).ToHaveTextAsync("Provisioner jobs");
        await Assertions.Expect(sut.Page.Locator("h1.page-header")).ToHaveTextAsync("Overview");
        var cookie = await sut.SessionCookieAsync();
        cookie.Should().NotBeNull();
        cookie!.HttpOnly.Should().BeTrue("no script may read the session");
        cookie.SameSite.Should().Be(SameSiteAttribute.Strict, "no other site may send it");
        cookie.Secure.Should().BeFalse("it is served over plain http here; over https the cookie is Secure");
        cookie.Path.Should().Be("/ops", "the /api endpoints never receive it");
        cookie.Value.Should().NotContain(stack.AdminKey[18..], "the session holds who signed in, never the key");
        sut.Requested.Should().OnlyContain(url => url.StartsWith(stack.Url("/"), StringComparison.Ordinal), "the dashboard loads nothing from elsewhere");

        await sut.GotoAsync("/ops/jobs/recurring", "recurring-jobs");
        sut.Page.Url.Should().Be(stack.Url("/ops/jobs/recurring"));
        await sut.GotoAsync("/ops", "overview");
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongKey_ShowsTheError_AndOpensNoSession()
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "wrong-key");
        await sut.GotoAsync(JobsLoginUrl, "login");

        var answer = await sut.SignInAsync("prov_AAAAAAAAAAAA_" + new string('B', 43), "error-shown");

        answer.Status.Should().Be(401);
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not accepted");
        (await sut.Page.Locator("#key").InputValueAsync()).Should().BeEmpty("a key typed in is never sent back");
        (await sut.SessionCookieAsync()).Should().BeNull();
        await sut.GotoAsync("/ops/jobs", "still-signed-out");
        sut.Page.Url.Should().Be(stack.Url(JobsLoginUrl));
    }

    [Fact]
    public async Task TenantKey_IsRefused_AndOpensNoSession()
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "tenant-key");
        await sut.GotoAsync(JobsLoginUrl, "login");

        var answer = await sut.SignInAsync(stack.TenantKey, "refused");

        answer.Status.Should().Be(403);
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only admin keys");
        (await sut.SessionCookieAsync()).Should().BeNull();
        await sut.GotoAsync("/ops/jobs", "no-access");
        sut.Page.Url.Should().Be(stack.Url(JobsLoginUrl));
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "sign-out");
        await sut.GotoAsync("/ops/login?ReturnUrl=%2Fops", "login");
        await sut.SignInAsync(stack.AdminKey, "overview");
        sut.Page.Url.Should().Be(stack.Url("/ops"));

        await sut.SignOutAsync("signed-out");

        sut.Page.Url.Should().Be(stack.Url("/ops/login"));
        (await sut.SessionCookieAsync()).Should().BeNull();
        await sut.GotoAsync("/ops/jobs", "jobs-after-sign-out");
        sut.Page.Url.Should().Be(stack.Url(JobsLoginUrl));
    }

    [Theory]
    [InlineData("https://evil.invalid/ops/jobs")]
    [InlineData("//evil.invalid/ops/jobs")]
    [InlineData("/\\evil.invalid/ops/jobs")]
    [InlineData("/api/admin/keys")]
    public async Task ReturnUrl_OutsideTheConsole_IsIgnored(string returnUrl)
    {
        var slug = new string(returnUrl.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        await using var sut = await OpsBrowserPage.OpenAsync(stack, $"return-url-{slug}");
        await sut.GotoAsync($"/ops/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login");

        await sut.SignInAsync(stack.AdminKey, "landed");

        sut.Page.Url.Should().Be(stack.Url("/ops"), "a login only ever leads to a page of the console, the overview unless another is asked for");
    }

    [Fact]
    public async Task RevokedKey_EndsItsSession()
    {
        var (keyId, secret) = await CreateAdminKeyAsync();
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "revoked-key");
        await sut.GotoAsync(JobsLoginUrl, "login");
        await sut.SignInAsync(secret, "signed-in");
        sut.Page.Url.Should().Be(stack.Url("/ops/jobs"));

        using var admin = stack.CreateClient(stack.AdminKey);
        (await admin.DeleteAsync($"/api/admin/keys/{keyId}")).EnsureSuccessStatusCode();
        await sut.GotoAsync("/ops/jobs", "after-revoke");

        sut.Page.Url.Should().Be(stack.Url(JobsLoginUrl), "a session lasts only as long as the key that opened it");
        (await sut.SessionCookieAsync()).Should().BeNull();
    }

    [Fact]
    public async Task DashboardPost_WithoutItsAntiforgeryToken_IsRejected()
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "antiforgery");
        await sut.GotoAsync("/ops/login?ReturnUrl=%2Fops%2Fjobs%2Frecurring", "login");
        await sut.SignInAsync(stack.AdminKey, "recurring-jobs");
        var header = await sut.Page.Locator("meta[name=csrf-header]").GetAttributeAsync("content");
        var token = await sut.Page.Locator("meta[name=csrf-token]").GetAttributeAsync("content");
        var form = sut.Http.CreateFormData().Set("jobs[]", "no-such-job");

        var forged = await sut.Http.PostAsync("/ops/jobs/recurring/trigger", new APIRequestContextOptions { Form = form });
        var genuine = await sut.Http.PostAsync("/ops/jobs/recurring/trigger", new APIRequestContextOptions
        {
            Form = form,
            Headers = new Dictionary<string, string> { [header!] = token! },
        });

        forged.Status.Should().Be(403, "a request with the session cookie but without the page's token is forged");
        genuine.Status.Should().BeInRange(200, 299, "the same request with the page's token is the dashboard's own");
    }

    private async Task<(string Id, string Secret)> CreateAdminKeyAsync()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys", new { tenant = "operators", name = "browser session", role = "admin" });
        var key = (await created.Content.ReadFromJsonAsync<CreatedKeyResponse>(ProvisionerStack.Json))!;
        key.Key.Role.Should().Be(ApiKeyRole.Admin.ToString().ToUpperInvariant());
        return (key.Key.Id, key.Secret);
    }
}
