using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>The console's pages and actions are for operators: tenants and anonymous callers are refused, and an action needs its page's token.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsConsoleAccessTests(OpsStack stack)
{
    public static TheoryData<string> Pages => ["/ops", "/ops/instances", "/ops/providers", "/ops/costs", "/ops/webhooks", "/ops/reconciliation", "/ops/audit"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task TenantKey_IsRefusedEveryPage(string path)
    {
        using var client = stack.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.TenantKey);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TenantKey_CannotTerminate()
    {
        var id = await CreateInstanceAsync();
        using var client = stack.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/ops/instances/{id}/terminate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.TenantKey);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await AuditEntriesAsync(id)).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task SignedOutBrowser_IsSentToLogin(string path)
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "signed-out" + path.Replace('/', '-'));

        await sut.GotoAsync(path, "sent-to-login");

        sut.Page.Url.Should().Be(stack.Url($"/ops/login?ReturnUrl={Uri.EscapeDataString(path)}"));
    }

    [Fact]
    public async Task Terminate_WithoutTheFormsToken_IsRejected_AndWithItIsDone()
    {
        var id = await CreateInstanceAsync();
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "terminate-antiforgery");
        await sut.SignInToAsync(stack, $"/ops/instances/{id}", "instance");
        var token = await sut.Page.Locator("form[action$='/terminate'] input[name=__RequestVerificationToken]").GetAttributeAsync("value");

        var forged = await sut.Http.PostAsync($"/ops/instances/{id}/terminate");

        forged.Status.Should().Be(403, "the session cookie alone is what a forged cross-site post would carry");
        (await AuditEntriesAsync(id)).Should().Be(0, "a rejected action is not taken");
        var genuine = await sut.Http.PostAsync($"/ops/instances/{id}/terminate", new Microsoft.Playwright.APIRequestContextOptions
        {
            Form = sut.Http.CreateFormData().Set("__RequestVerificationToken", token!),
            MaxRedirects = 0,
        });
        genuine.Status.Should().Be(302, "the page's own form, with its token, is the operator's");
        (await AuditEntriesAsync(id)).Should().Be(1);
    }

    private Task<long> AuditEntriesAsync(Guid id) =>
        stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.ops_audit WHERE instance_id = $1", id);

    private async Task<Guid> CreateInstanceAsync()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances",
            InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser("access"), "SIMULATED", "sim.gpu.small", "sim-local-1"));
        post.EnsureSuccessStatusCode();
        return (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }
}
