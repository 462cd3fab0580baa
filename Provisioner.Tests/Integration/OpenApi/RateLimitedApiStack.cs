using System.Text.Json.Nodes;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.OpenApi;

/// <summary>
/// The API alone with small request budgets (2 a second per key, 1 without one (3 at once)), so that the rate limiter really answers
/// 429. The OpenAPI document is read once, at start, with a key of its own.
/// </summary>
public sealed class RateLimitedApiStack : ProvisionerStack
{
    public JsonObject Document { get; private set; } = null!;

    protected override int WorkerCount => 0;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits__PermitsPerSecond"] = "2",
        ["RateLimits__Burst"] = "2",
        ["RateLimits__AnonymousPermitsPerSecond"] = "1",
        ["RateLimits__AnonymousBurst"] = "3",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var reader = CreateClient(await Database.CreateApiKeyAsync("document-reader"));
        Document = (JsonObject)JsonNode.Parse(await reader.GetStringAsync("/openapi/v1.json"))!;
    }
}

[CollectionDefinition(Name)]
public sealed class RateLimitedApiCollection : ICollectionFixture<RateLimitedApiStack>
{
    public const string Name = "rate-limited-api";
}
