using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary><c>Idempotency-Key</c> on create, and heartbeats, over real HTTP against the API and a worker.</summary>
public sealed class IdempotencyAndHeartbeatTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    [Fact]
    public async Task Post_SameKeyAndBody_ReturnsTheSameInstanceAndCreatesOne()
    {
        var key = Guid.NewGuid().ToString();
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser());

        using var first = await PostAsync(body, key);
        body["config"]!["tags"] = new JsonObject { ["project"] = "medical-analysis", ["environment"] = "production" };
        using var second = await PostAsync(body, key);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted, "a repeat answers as the first request did");
        var a = (await first.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!;
        var b = (await second.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!;
        b.Instance.Id.Should().Be(a.Instance.Id, "the same tags in another order are the same request");
        b.Message.Should().StartWith("Replayed");
        second.Headers.Location.Should().Be(first.Headers.Location);
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE user_id = $1", body["userId"]!.GetValue<string>()))
            .Should().Be(1);
    }

    [Fact]
    public async Task Post_SameKeyOtherBody_IsRefusedAndWritesNothing()
    {
        var key = Guid.NewGuid().ToString();
        var userId = InstanceRequestBuilder.UniqueUser();
        using var first = await PostAsync(InstanceRequestBuilder.Seed(userId), key);
        var other = InstanceRequestBuilder.Seed(userId);
        other["config"]!["diskSizeGB"] = 200;

        using var second = await PostAsync(other, key);

        second.StatusCode.Should().Be((HttpStatusCode)422);
        var problem = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        problem["code"]!.GetValue<string>().Should().Be("idempotency_key_reused");
        problem["field"]!.GetValue<string>().Should().Be("Idempotency-Key");
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE user_id = $1", userId)).Should().Be(1);
    }

    [Fact]
    public async Task Post_SameKeyConcurrently_CreatesOneInstance()
    {
        var key = Guid.NewGuid().ToString();
        var body = InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser());

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PostAsync(body, key)));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Accepted);
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id));
        ids.Distinct().Should().ContainSingle();
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE user_id = $1", body["userId"]!.GetValue<string>()))
            .Should().Be(1);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("tab\there")]
    public async Task Post_MalformedKey_IsRefused(string key)
    {
        var userId = InstanceRequestBuilder.UniqueUser();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(InstanceRequestBuilder.Seed(userId)) };
        request.Headers.TryAddWithoutValidation(InstancesApi.IdempotencyKeyHeader, key);

        using var response = await stack.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>().Should().Be("invalid_header");
        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances WHERE user_id = $1", userId)).Should().Be(0);
    }

    [Fact]
    public async Task Heartbeat_OnAReadyInstance_MakesItRunning()
    {
        using var post = await PostAsync(InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()), key: null);
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;

        using var early = await stack.Client.PostAsync($"/api/instances/{id}/heartbeat", null);
        early.StatusCode.Should().Be(HttpStatusCode.Conflict);
        JsonNode.Parse(await early.Content.ReadAsStringAsync())!["code"]!.GetValue<string>().Should().Be("instance_not_running");

        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(45));
        using var beat = await stack.Client.PostAsync($"/api/instances/{id}/heartbeat", null);

        beat.StatusCode.Should().Be(HttpStatusCode.OK);
        var running = (await beat.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;
        running.Status.Should().Be(InstanceStatus.Running);
        running.LastHeartbeatAt.Should().NotBeNull();
        var timeline = (await stack.Client.GetFromJsonAsync<InstanceEventsEnvelope>($"/api/instances/{id}/events", ProvisionerStack.Json))!;
        timeline.Events[^1].Should().BeEquivalentTo(new { From = InstanceStatus.Ready, To = InstanceStatus.Running, Cause = "first heartbeat" });

        using var unknown = await stack.Client.PostAsync($"/api/instances/{Guid.NewGuid()}/heartbeat", null);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(InstancesApi.IdempotencyKeyHeader, key);
        }

        return stack.Client.SendAsync(request);
    }
}
