using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// A body that cannot be read is described in terms of its JSON: the field's path and what JSON it needs, never
/// the .NET types it is read into (which mean nothing to a client and describe our internals).
/// </summary>
public sealed class ProblemWordingTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    public static TheoryData<string, string, string> UnreadableBodies()
    {
        var data = new TheoryData<string, string, string>();
        void Add(string field, string expected, Action<JsonObject> change)
        {
            var body = InstanceRequestBuilder.Seed("user-123");
            change(body);
            data.Add(body.ToJsonString(), field, expected);
        }

        var config = (JsonObject b) => b["config"]!.AsObject();
        Add("colour", "'colour' is not a field of this request", b => b["colour"] = "blue");
        Add("config.colour", "'config.colour' is not a field of this request", b => config(b)["colour"] = "blue");
        Add("config.diskSizeGB", "'config.diskSizeGB' has the wrong JSON type", b => config(b)["diskSizeGB"] = "100");
        Add("config.diskSizeGB", "'config.diskSizeGB' has the wrong JSON type, or a number out of range", b => config(b)["diskSizeGB"] = 10_000_000_000);
        Add("userId", "'userId' has the wrong JSON type", b => b["userId"] = 123);
        Add("config.tags", "'config.tags' has the wrong JSON type", b => config(b)["tags"] = new JsonArray());
        Add("config", "'config' has the wrong JSON type", b => b["config"] = "AZURE");
        return data;
    }

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task Post_UnreadableBody_NamesTheJsonPathAndNoDotNetType(string body, string field, string expected)
    {
        using var response = await stack.Client.PostAsync("/api/instances", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, text);
        var problem = JsonNode.Parse(text)!;
        problem["code"]!.GetValue<string>().Should().Be("malformed_json");
        problem["field"]!.GetValue<string>().Should().Be(field);
        problem["detail"]!.GetValue<string>().Should().StartWith(expected);
        text.Should().NotContainAny(["Provisioner.", "System.", ".NET"]);
    }

    [Fact]
    public async Task Post_BrokenJson_SaysWhereWithoutTypes()
    {
        using var response = await stack.Client.PostAsync("/api/instances", new StringContent("{\"userId\": ", Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, text);
        JsonNode.Parse(text)!["detail"]!.GetValue<string>().Should().StartWith("The JSON is not valid at 'userId'");
        text.Should().NotContainAny(["Provisioner.", "System.", ".NET"]);
    }
}
