using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Core.Instances;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// The NovitaAI shape's <c>estimatedReadyAt</c> comes from the offer's measured boots: the 5-minute guess only while
/// none has been measured, then what the last ones took (here the simulated cloud's seconds).
/// </summary>
public sealed class NovitaReadyEstimateTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    private async Task<JsonNode> CreateAsync()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", new JsonObject
        {
            ["name"] = $"n-{Guid.NewGuid():N}"[..20], ["productName"] = "RTX 4090 24GB", ["templateId"] = 1001, ["gpuNum"] = 1,
            ["rootfsSize"] = 60, ["region"] = "US-CA-06",
        });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static TimeSpan EstimateOf(JsonNode created) =>
        created["estimatedReadyAt"]!.GetValue<DateTimeOffset>() - created["instance"]!["createdAt"]!.GetValue<DateTimeOffset>();

    [Fact]
    public async Task Create_AfterAMeasuredBoot_EstimatesWhatItTook_AndFiveMinutesBefore()
    {
        var first = await CreateAsync();
        var id = Guid.Parse(first["instance"]!["id"]!.GetValue<string>());
        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromMinutes(2));
        var measured = ready.ReadyAt!.Value - ready.CreatedAt;

        var second = await CreateAsync();

        EstimateOf(first).Should().Be(TimeSpan.FromMinutes(5), "nothing of this offer had been measured yet");
        measured.Should().BeLessThan(TimeSpan.FromMinutes(1), "the simulated cloud boots in seconds");
        EstimateOf(second).Should().Be(measured, "the one measured boot is the median");
    }
}
