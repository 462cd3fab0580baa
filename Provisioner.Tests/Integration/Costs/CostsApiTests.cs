using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Costs;

/// <summary>The cost and budget endpoints over HTTP: their answers, and a specific problem for every bad input.</summary>
public sealed class CostsApiTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    [Theory]
    [InlineData("/api/instances/stats?from=2026-12-10&to=2026-12-01", "to", "invalid_range")]
    [InlineData("/api/instances/stats?from=2025-01-01&to=2026-12-01", "to", "range_too_long")]
    [InlineData("/api/instances/stats?from=yesterday", "from", "invalid_value")]
    [InlineData("/api/instances/stats?to=2026-13-45", "to", "invalid_value")]
    [InlineData("/api/instances/stats?groupBy=color", "groupBy", "invalid_value")]
    [InlineData("/api/instances/stats?groupBy=1", "groupBy", "invalid_value")]
    [InlineData("/api/costs/daily?from=2026-11-05&to=2026-11-05", "to", "invalid_range")]
    [InlineData("/api/costs/daily?from=2024-11-05", "to", "range_too_long")]
    [InlineData("/api/costs/savings?from=5%20Nov", "from", "invalid_value")]
    public async Task BadRange_IsAProblemNamingTheParameter(string url, string field, string code)
    {
        var response = await stack.Client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("invalid_query");
        ((string)problem["field"]!).Should().Be(field);
        ((string)problem["errors"]![0]!["code"]!).Should().Be(code);
    }

    [Fact]
    public async Task Reports_ForAPeriod_AnswerEveryDayAndTheSavingsShape()
    {
        var daily = JsonNode.Parse(await stack.Client.GetStringAsync("/api/costs/daily?from=2026-11-01&to=2026-11-03"))!;
        daily["days"]!.AsArray().Select(d => ((string)d!["date"]!, (decimal)d["cost"]!)).Should().Equal(("2026-11-01", 0m), ("2026-11-02", 0m));
        var stats = JsonNode.Parse(await stack.Client.GetStringAsync("/api/instances/stats?from=2026-11-01T00:00:00Z&to=2026-11-03&groupBy=day"))!;
        ((int)stats["statistics"]!["totalProvisioned"]!).Should().Be(0);
        ((string)stats["statistics"]!["groupBy"]!).Should().Be("day");
        var savings = JsonNode.Parse(await stack.Client.GetStringAsync("/api/costs/savings"))!;
        ((decimal)savings["alwaysOnCost"]!).Should().Be(0m);
        ((decimal)savings["savingPercent"]!).Should().Be(0m);
    }

    [Fact]
    public async Task Budget_CapBelowTheWorstCase_RefusesTheCreateWith409AndTheFigures()
    {
        var key = await stack.Database.CreateApiKeyAsync("budget-" + Guid.NewGuid().ToString("N")[..8]);
        using var client = stack.CreateClient(key);
        (await client.GetAsync("/api/budget")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var invalid = await client.PutAsJsonAsync("/api/budget", new { });
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PutAsJsonAsync("/api/budget", new { monthlyLimit = -5 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var set = await client.PutAsJsonAsync("/api/budget", new { monthlyLimit = 100, perInstanceCap = 0.05 });
        set.StatusCode.Should().Be(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        var budget = JsonNode.Parse(await set.Content.ReadAsStringAsync())!["budget"]!;
        ((decimal)budget["perInstanceCap"]!).Should().Be(0.05m);
        ((decimal)budget["remaining"]!).Should().Be(100m);

        // sim.gpu.small: 0.10 USD/h for up to 60 minutes.
        var create = await client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed("user-1", "SIMULATED", "sim.gpu.small", "sim-local-1"));

        create.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var problem = JsonNode.Parse(await create.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("budget_exceeded");
        ((decimal)problem["worstCase"]!).Should().Be(0.1m);
        ((decimal)problem["perInstanceCap"]!).Should().Be(0.05m);
        ((string)problem["detail"]!).Should().Contain("0.1").And.Contain("0.05");
        ((int)JsonNode.Parse(await client.GetStringAsync("/api/instances"))!["count"]!).Should().Be(0);

        (await client.DeleteAsync("/api/budget")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed("user-1", "SIMULATED", "sim.gpu.small", "sim-local-1")))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
    }
}
