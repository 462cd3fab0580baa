using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// One value for a timestamp everywhere: the 202 shows what PostgreSQL keeps (microseconds), so it equals every later
/// read of the same instance to the character.
/// </summary>
public sealed class TimestampPrecisionTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    [Fact]
    public async Task Create_TimestampsInThe202_EqualThoseOfGetAndList()
    {
        var user = InstanceRequestBuilder.UniqueUser();
        using var created = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(user));
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var accepted = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["instance"]!;
        var id = accepted["id"]!.GetValue<string>();

        var read = JsonNode.Parse(await stack.Client.GetStringAsync($"/api/instances/{id}"))!["instance"]!;
        var listed = JsonNode.Parse(await stack.Client.GetStringAsync($"/api/instances?userId={user}"))!["instances"]![0]!;

        foreach (var name in new[] { "createdAt", "updatedAt", "autoTerminateAt" })
        {
            var value = accepted[name]!.GetValue<string>();
            value.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$", $"{name} is to the microsecond at most");
            read[name]!.GetValue<string>().Should().Be(value, $"{name} of the 202 and of GET");
            listed[name]!.GetValue<string>().Should().Be(value, $"{name} of the 202 and of the list");
        }
    }
}
