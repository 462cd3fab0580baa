using System.Net;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances.Waiting;

namespace Provisioner.Tests.Integration.HeldReads;

/// <summary>
/// <c>GET /api/instances/{id}</c> with If-None-Match and <c>Prefer: wait</c>, over real HTTP against the API process.
/// The fallback poll here is 5 minutes and no wait exceeds 30 s, so a held read that answers a change did so on the
/// database's notice.
/// </summary>
public sealed class HeldReadTests(NoticeOnlyStack stack) : IClassFixture<NoticeOnlyStack>
{
    [Fact]
    public async Task HeldRead_AnswersWithTheNewVersion_WhenTheInstanceChanges()
    {
        var (id, etag) = await stack.CreateAsync();

        var held = stack.ReadAsync(id, etag, "wait=30");
        await stack.TouchAsync(id);
        using var response = await held;

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the change's notice ends the wait; the fallback poll is minutes away\n" + stack.Logs());
        response.Headers.ETag!.ToString().Should().NotBe(etag).And.StartWith("W/\"");
        response.Headers.GetValues(ConditionalRead.PreferenceAppliedHeader).Should().Equal("wait=30");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["instance"]!["id"]!.GetValue<Guid>().Should().Be(id);
    }

    [Fact]
    public async Task HeldRead_WokenByAnotherInstance_KeepsWaiting()
    {
        var (id, etag) = await stack.CreateAsync();
        var (other, _) = await stack.CreateAsync();

        var held = stack.ReadAsync(id, etag, "wait=2");
        await stack.TouchAsync(other);
        using var response = await held;

        response.StatusCode.Should().Be(HttpStatusCode.NotModified, "only a change of this instance ends its wait");
        response.Headers.ETag!.ToString().Should().Be(etag);
    }

    [Fact]
    public async Task ChangeWithoutANotice_DoesNotEndTheWait_TheLastLookFindsIt()
    {
        // What makes HeldReadFallbackTests mean something: this write really sends no notice.
        var (id, etag) = await stack.CreateAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var held = stack.ReadAsync(id, etag, "wait=5");
        await stack.WaitForHeldReadsAsync(1);
        await stack.TouchUnannouncedAsync(id);
        using var response = await held;

        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4.9), "nothing woke the read: it ran its whole wait");
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the last look, as the wait runs out, finds the change");
    }

    [Fact]
    public async Task HeldRead_Unchanged_Answers304WhenTheWaitRunsOut()
    {
        var (id, etag) = await stack.CreateAsync();

        using var response = await stack.ReadAsync(id, etag, "wait=1");

        response.StatusCode.Should().Be(HttpStatusCode.NotModified);
        response.Headers.ETag!.ToString().Should().Be(etag);
        response.Headers.GetValues(ConditionalRead.PreferenceAppliedHeader).Should().Equal("wait=1");
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task HeldRead_OfAnOlderVersion_AnswersAtOnce()
    {
        var (id, etag) = await stack.CreateAsync();
        await stack.TouchAsync(id);

        using var response = await stack.ReadAsync(id, etag, "wait=30");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the client's version is already stale: nothing to wait for");
        response.Headers.ETag!.ToString().Should().NotBe(etag);
    }

    [Fact]
    public async Task ConditionalRead_WithoutWait_Answers304AtOnce()
    {
        var (id, etag) = await stack.CreateAsync();

        using var response = await stack.ReadAsync(id, etag);

        response.StatusCode.Should().Be(HttpStatusCode.NotModified);
        response.Headers.ETag!.ToString().Should().Be(etag);
        response.Headers.Contains(ConditionalRead.PreferenceAppliedHeader).Should().BeFalse();
    }

    [Theory]
    [InlineData("wait=soon")]
    [InlineData("wait=-5")]
    [InlineData("respond-async")]
    public async Task UnreadableWaitPreference_IsIgnored_NotAnError(string prefer)
    {
        var (id, etag) = await stack.CreateAsync();

        using var response = await stack.ReadAsync(id, etag, prefer);

        response.StatusCode.Should().Be(HttpStatusCode.NotModified, "RFC 7240: a preference the server cannot use is ignored");
        response.Headers.Contains(ConditionalRead.PreferenceAppliedHeader).Should().BeFalse("no wait was applied");
    }

    [Fact]
    public async Task WaitLongerThanTheMaximum_IsCapped()
    {
        var (id, etag) = await stack.CreateAsync();

        var held = stack.ReadAsync(id, etag, "wait=3600");
        await stack.TouchAsync(id);
        using var response = await held;

        response.Headers.GetValues(ConditionalRead.PreferenceAppliedHeader).Should().Equal("wait=30");
    }

    [Fact]
    public async Task HeldRead_OfAnUnknownInstance_AnswersNotFound()
    {
        using var response = await stack.ReadAsync(Guid.NewGuid(), "W/\"1\"", "wait=30");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["code"]!.GetValue<string>().Should().Be("instance_not_found");
    }

    [Fact]
    public async Task HeldRead_OfAnotherTenantsInstance_AnswersNotFound()
    {
        var (id, etag) = await stack.CreateAsync();
        using var other = stack.CreateClient(stack.OtherTenantKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        request.Headers.TryAddWithoutValidation("Prefer", "wait=30");

        using var response = await other.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound, "a held read shows nothing another tenant could not read");
    }

    [Fact]
    public async Task ChangeFeed_AfterItsConnectionIsKilled_ReconnectsAndWakesHeldReadsAgain()
    {
        await stack.Database.ScalarAsync<bool>(
            "SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
            stack.Database.Name, InstanceChangeFeed.ApplicationName);
        await stack.WaitForFeedListeningAsync();
        var (id, etag) = await stack.CreateAsync();

        var held = stack.ReadAsync(id, etag, "wait=30");
        await stack.TouchAsync(id);
        using var response = await held;

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the feed listens again on a new connection\n" + stack.Logs());
    }
}
