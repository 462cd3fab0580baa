using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Tests.Builders;

namespace Provisioner.Tests.Integration.Webhooks;

/// <summary>
/// A webhook can never be a way into our networks: targets that are, or resolve to, internal addresses are refused
/// when registered, with a problem naming the field, and nothing is recorded.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookTargetRefusalTests(WebhookStack stack)
{
    public static TheoryData<string> ForbiddenTargets => new()
    {
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.0.0.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://localhost/hook",
        "http://192.168.1.20:8080/hook",
        "http://[::127.0.0.1]/hook",
        "http://[64:ff9b:1::7f00:1]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[fec0::1]/hook",
        "http://127.0.0.1:1/hook", // the exempt receiver's host, another port (the API's or a worker's metrics, say)
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_hook",
        "http://user:secret@example.com/hook",
        "not a url",
    };

    [Theory]
    [MemberData(nameof(ForbiddenTargets))]
    public async Task Create_WithAForbiddenWebhookUrl_IsRefusedAndRecordsNothing(string url)
    {
        using var client = await stack.NewTenantAsync();
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        body["webhookUrl"] = url;

        var response = await client.PostAsJsonAsync("/api/instances", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("webhook_url_not_allowed");
        ((string)problem["field"]!).Should().Be("webhookUrl");
        var list = JsonNode.Parse(await client.GetStringAsync("/api/instances"))!;
        ((int)list["count"]!).Should().Be(0, "a refused request records nothing");
        (await client.GetAsync("/api/webhook")).StatusCode.Should().Be(HttpStatusCode.NotFound, "nor does it create the tenant's webhook settings");
    }

    [Theory]
    [MemberData(nameof(ForbiddenTargets))]
    public async Task SetDefault_WithAForbiddenUrl_IsRefused(string url)
    {
        using var client = await stack.NewTenantAsync();

        var response = await client.PutAsJsonAsync("/api/webhook", new { url });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("webhook_url_not_allowed");
        ((string)problem["field"]!).Should().Be("url");
        (await client.GetAsync("/api/webhook")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_WithUnknownEventsOrEventsWithoutUrl_NamesTheField()
    {
        using var client = await stack.NewTenantAsync();
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1");
        body["webhookEvents"] = new JsonArray("instance.exploded");

        var problem = JsonNode.Parse(await (await client.PostAsJsonAsync("/api/instances", body)).Content.ReadAsStringAsync())!;

        problem["errors"]!.AsArray().Select(e => ((string)e!["field"]!, (string)e["code"]!))
            .Should().BeEquivalentTo([("webhookEvents", "invalid_value"), ("webhookUrl", "required")]);
    }
}
