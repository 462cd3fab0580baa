using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Provisioner.Api.Problems;
using Provisioner.Client;

namespace Provisioner.Tests.Integration.OpenApi;

/// <summary>
/// The OpenAPI document the API serves: both ways to send a key declared and applied per operation, every problem
/// answer with its codes, the create body as a oneOf of its two shapes, public but rate-limited, a reference page at
/// /docs, and a client method for every operation.
/// </summary>
[Collection(RateLimitedApiCollection.Name)]
public sealed class OpenApiDocumentTests(RateLimitedApiStack stack)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private IEnumerable<(string Method, string Path, JsonObject Operation)> Operations =>
        from path in stack.Document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (method.Key.ToUpperInvariant(), path.Key, method.Value!.AsObject());

    [Fact]
    public void Document_DeclaresBearerAndApiKeySchemes()
    {
        var schemes = stack.Document["components"]!["securitySchemes"]!;

        ((string)schemes["Bearer"]!["type"]!, (string)schemes["Bearer"]!["scheme"]!).Should().Be(("http", "bearer"));
        ((string)schemes["ApiKey"]!["type"]!, (string)schemes["ApiKey"]!["in"]!, (string)schemes["ApiKey"]!["name"]!).Should().Be(("apiKey", "header", "X-Api-Key"));
    }

    [Fact]
    public void EveryOperation_DeclaresItsAuth_AndItsProblemAnswersWithCodes()
    {
        Operations.Should().HaveCountGreaterThan(20);
        foreach (var (method, path, operation) in Operations)
        {
            var because = $"{method} {path}";
            operation["security"]!.AsArray().Select(r => r!.AsObject().Single().Key).Should().BeEquivalentTo(["Bearer", "ApiKey"], because);
            var responses = operation["responses"]!.AsObject();
            responses.Select(r => r.Key).Should().Contain(["401", "403", "429"], because);
            responses.Should().Contain(r => r.Key.StartsWith('2'), because);
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var content = response!["content"]!["application/problem+json"];
                content.Should().NotBeNull($"{because} {status} is a problem");
                ((string)content!["schema"]!["$ref"]!).Should().Be("#/components/schemas/Problem", because);
                var codes = response["x-problem-codes"]!.AsArray().Select(c => (string)c!).ToList();
                codes.Should().NotBeEmpty(because);
                codes.Should().BeSubsetOf(PublishedCodes, $"{because} {status} lists only codes the API defines");
                content["examples"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(codes, because);
            }

            if (operation["requestBody"] is not null)
            {
                Codes(operation, "400").Should().Contain("malformed_json", because);
                responses.Select(r => r.Key).Should().Contain(["413", "415"], because);
            }
        }
    }

    [Fact]
    public void Operations_ListTheirOwnProblems()
    {
        Codes(Operation("POST", "/api/instances"), "400").Should().Contain(["validation_failed", "invalid_header", "no_offer_within_price", "webhook_url_not_allowed"]);
        Codes(Operation("POST", "/api/instances"), "409").Should().Equal("budget_exceeded");
        Codes(Operation("POST", "/api/instances"), "422").Should().Equal("idempotency_key_reused");
        Codes(Operation("GET", "/api/instances/{id}"), "404").Should().Contain("instance_not_found");
        Codes(Operation("POST", "/api/instances/{id}/heartbeat"), "409").Should().Equal("instance_not_running");
        Codes(Operation("GET", "/api/budget"), "404").Should().Equal("budget_not_set");
        Codes(Operation("DELETE", "/api/admin/keys/{id}"), "404").Should().Equal("key_not_found");
        ((string)Operation("GET", "/api/admin/keys")["description"]!).Should().Contain("admin");
    }

    [Fact]
    public void CreateInstance_Body_IsAOneOfOfTheTwoShapes_WithExamples()
    {
        var body = Operation("POST", "/api/instances")["requestBody"]!["content"]!["application/json"]!;
        var schemas = stack.Document["components"]!["schemas"]!;

        body["schema"]!["oneOf"]!.AsArray().Select(s => (string)s!["$ref"]!).Should().Equal(
            "#/components/schemas/CreateInstanceSeedRequest", "#/components/schemas/CreateInstanceNovitaRequest");
        schemas["CreateInstanceSeedRequest"]!["required"]!.AsArray().Select(r => (string)r!).Should().BeEquivalentTo(["userId", "config"]);
        schemas["CreateInstanceNovitaRequest"]!["required"]!.AsArray().Select(r => (string)r!).Should().Contain(["name", "productName", "gpuNum"]);
        body["examples"]!.AsObject().Select(e => e.Key).Should().BeEquivalentTo(["exact", "requirements", "novita"]);
    }

    [Fact]
    public void Client_HasAMethodForEveryOperation_AndNoneForOperationsThatDoNotExist()
    {
        var documented = Operations.Select(o => $"{o.Method} {o.Path}").ToHashSet();
        var covered = typeof(ProvisionerClient).GetMethods()
            .SelectMany(m => m.GetCustomAttributes<ApiOperationAttribute>())
            .Select(a => $"{a.Method} {a.Path}").ToHashSet();

        covered.Should().BeEquivalentTo(documented);
    }

    [Fact]
    public async Task DocumentAndReferencePage_ArePublic_AndRateLimitedLikeAnyAnonymousCall()
    {
        using var anonymous = stack.CreateClient(null);

        using var document = await PatientlyAsync(anonymous, "/openapi/v1.json");
        using var page = await PatientlyAsync(anonymous, "/docs");
        using var script = await PatientlyAsync(anonymous, "/docs/scalar.js");
        // At once: one a second refills the bucket; a loaded machine serves twenty slower than that only past 17 s.
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var again = await anonymous.GetAsync("/openapi/v1.json");
            return again.StatusCode;
        }));

        document.StatusCode.Should().Be(HttpStatusCode.OK);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("openapi/v1.json", "the page renders this API's document");
        script.StatusCode.Should().Be(HttpStatusCode.OK, "the page's script is served by the API itself, not fetched from elsewhere");
        burst.Should().Contain(HttpStatusCode.TooManyRequests, "the document is under the anonymous rate limit");
    }

    [Fact]
    public async Task ProblemsTheApiReallyAnswers_AreTheOnesTheDocumentListsForThatOperation()
    {
        using var sut = new ProvisionerClient(new ProvisionerClientOptions { BaseAddress = stack.Api.BaseAddress, ApiKey = await stack.Database.CreateApiKeyAsync("problem-seeker") });
        using var stranger = new ProvisionerClient(new ProvisionerClientOptions { BaseAddress = stack.Api.BaseAddress, ApiKey = "prov_unknown" });
        var cases = new (string Method, string Path, Func<Task> Call)[]
        {
            ("GET", "/api/instances/{id}", () => sut.GetInstanceAsync(Guid.NewGuid())),
            ("POST", "/api/instances", () => sut.CreateInstanceAsync(new Provisioner.Client.Models.CreateInstanceRequest { UserId = "u", Config = new() { Provider = "NOPE", InstanceType = "x", Region = "y" } })),
            ("POST", "/api/instances/{id}/heartbeat", () => sut.SendHeartbeatAsync(Guid.NewGuid())),
            ("GET", "/api/instances", () => sut.ListInstancesAsync(new Provisioner.Client.Models.InstanceQuery(Status: "SLEEPING"))),
            ("GET", "/api/budget", () => sut.GetBudgetAsync()),
            ("GET", "/api/webhook", () => sut.GetWebhookAsync()),
            ("GET", "/api/costs/daily", () => sut.GetDailyCostsAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)),
            ("GET", "/api/admin/keys", () => sut.ListApiKeysAsync()),
            ("GET", "/api/offers", () => stranger.ListOffersAsync()),
        };

        foreach (var (method, path, call) in cases)
        {
            var thrown = await FluentActions.Awaiting(call).Should().ThrowAsync<ProvisionerProblemException>();
            var status = ((int)thrown.Which.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Codes(Operation(method, path), status).Should().Contain(thrown.Which.Code, $"{method} {path} answered {status} {thrown.Which.Code}");
        }
    }

    /// <summary>A GET that waits out a 429 (the anonymous bucket may be spent by another test's anonymous call).</summary>
    private static async Task<HttpResponseMessage> PatientlyAsync(HttpClient client, string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 5)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait);
        }
    }

    private static HashSet<string> PublishedCodes { get; } = typeof(ProblemCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();

    private JsonObject Operation(string method, string path) =>
        Operations.Single(o => o.Method == method && o.Path == path).Operation;

    private static IReadOnlyList<string> Codes(JsonObject operation, string status) =>
        [.. operation["responses"]![status]!["x-problem-codes"]!.AsArray().Select(c => (string)c!)];
}
