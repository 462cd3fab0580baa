using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Security;

/// <summary>
/// A valid key the API process has not checked yet (new, or its cached check just ran out) costs one database read,
/// however many requests present it at once: they share that read, and only it takes a permit from the address's
/// budget for unknown keys. Before, each request took one, so a client's first burst of 60 creates was partly
/// answered 429 although its key was good.
/// </summary>
public sealed class NewKeyBurstTests(NewKeyBurstTests.OneAnonymousPermitStack stack) : IClassFixture<NewKeyBurstTests.OneAnonymousPermitStack>
{
    /// <summary>Few permits for key reads per address (the admin key's own first check takes one): 40 reads would be refused.</summary>
    public sealed class OneAnonymousPermitStack : ProvisionerStack
    {
        protected override int WorkerCount => 0;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["RateLimits__AnonymousPermitsPerSecond"] = "1",
            ["RateLimits__AnonymousBurst"] = "3",
        };
    }

    [Fact]
    public async Task NewValidKey_PresentedByABurst_IsReadOnce_AndNoRequestIsRefused()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys", new { tenant = "burst", name = "burst", role = "tenant" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var secret = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["secret"]!;

        using var client = stack.CreateClient(secret);
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var answer = await client.GetAsync("/api/instances");
            return answer.StatusCode;
        }));

        answers.Should().OnlyContain(s => s == HttpStatusCode.OK, "the requests share the one read the first one started");
    }
}
