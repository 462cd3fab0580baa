using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// A NovitaAI-shaped create states its own deadline with <c>autoTerminateMinutes</c> (5-120, default 60); the seed
/// shape keeps it in <c>config</c> and refuses it at the top level.
/// </summary>
public sealed class NovitaShapeAutoTerminateTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    private static JsonObject Novita(int? autoTerminateMinutes)
    {
        var body = new JsonObject
        {
            ["name"] = $"n-{Guid.NewGuid():N}"[..20], ["productName"] = "RTX 4090 24GB", ["templateId"] = 1001, ["gpuNum"] = 1, ["rootfsSize"] = 60,
        };
        if (autoTerminateMinutes is { } minutes)
        {
            body["autoTerminateMinutes"] = minutes;
        }

        return body;
    }

    [Theory]
    [InlineData(null, 60)]
    [InlineData(5, 5)]
    [InlineData(120, 120)]
    public async Task Create_NovitaShape_DeadlineIsTheFieldOrSixtyMinutes(int? asked, int expected)
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", Novita(asked));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var instance = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["instance"]!;
        instance["autoTerminateMinutes"]!.GetValue<int>().Should().Be(expected);
        (instance["autoTerminateAt"]!.GetValue<DateTimeOffset>() - instance["createdAt"]!.GetValue<DateTimeOffset>())
            .Should().Be(TimeSpan.FromMinutes(expected));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(121)]
    public async Task Create_NovitaShapeOutOfRange_IsRefusedNamingTheField(int asked)
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", Novita(asked));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["errors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))
            .Should().Contain(("autoTerminateMinutes", "auto_terminate_out_of_range"));
    }

    [Fact]
    public async Task Create_SeedShapeWithTopLevelDeadline_IsRefusedPointingAtConfig()
    {
        var body = Provisioner.Tests.Builders.InstanceRequestBuilder.Seed("user-123");
        body["autoTerminateMinutes"] = 30;

        using var response = await stack.Client.PostAsJsonAsync("/api/instances", body);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["errors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()))
            .Should().Contain(("autoTerminateMinutes", "invalid_value"));
    }
}
