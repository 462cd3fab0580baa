using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Provisioner.Api.Ops;

namespace Provisioner.Tests.Browser;

/// <summary>The jobs dashboard for API clients: an admin key opens it, anything else gets the API's own problem answers.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsDashboardApiTests(OpsStack stack)
{
    [Fact]
    public async Task NoKey_Gets401Problem()
    {
        using var client = stack.CreateRawClient();

        using var response = await client.GetAsync("/ops/jobs");

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Fact]
    public async Task UnknownKey_Gets401Problem_EvenFromABrowser()
    {
        using var client = stack.CreateRawClient();
        using var request = Get("/ops/jobs", "text/html");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "prov_AAAAAAAAAAAA_" + new string('B', 43));

        using var response = await client.SendAsync(request);

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task BrowserWithoutSession_IsSentToLogin()
    {
        using var client = stack.CreateRawClient();

        using var response = await client.SendAsync(Get("/ops/jobs/recurring?x=1", "text/html,application/xhtml+xml,*/*;q=0.8"));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.Should().Be("/ops/login?ReturnUrl=%2Fops%2Fjobs%2Frecurring%3Fx%3D1");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("X-Api-Key")]
    public async Task TenantKey_Gets403Problem(string header)
    {
        using var client = stack.CreateRawClient();

        using var response = await client.SendAsync(WithKey(Get("/ops/jobs", "text/html"), header, stack.TenantKey));

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("X-Api-Key")]
    public async Task AdminKey_OpensTheDashboard(string header)
    {
        using var client = stack.CreateRawClient();

        using var response = await client.SendAsync(WithKey(Get("/ops/jobs", "*/*"), header, stack.AdminKey));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Provisioner jobs");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).Should().NotContain(c => c.StartsWith(OpsAuthentication.CookieName + "=", StringComparison.Ordinal),
            "a key sent with each request opens no session");
    }

    [Fact]
    public async Task AdminKey_PostWithoutAntiforgeryToken_IsRejected()
    {
        using var client = stack.CreateRawClient();
        using var request = WithKey(new HttpRequestMessage(HttpMethod.Post, "/ops/jobs/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "no-such-job")]),
        }, "Bearer", stack.AdminKey);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the dashboard's actions need its antiforgery token, whoever calls");
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = stack.CreateRawClient();
        using var request = WithKey(new HttpRequestMessage(HttpMethod.Post, "/ops/logout"), "Bearer", stack.AdminKey);

        using var response = await client.SendAsync(request);

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    private static HttpRequestMessage Get(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string header, string key)
    {
        if (header == "Bearer")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            request.Headers.Add(header, key);
        }

        return request;
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        JsonNode.Parse(body)!["code"]!.GetValue<string>().Should().Be(code);
    }
}
