using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Placement;

/// <summary>
/// <c>POST /api/instances</c> with <c>config.requirements</c>: placed at once on the cheapest fitting offer, refused
/// with <c>no_offer_within_price</c> when nothing fits the ceiling. The API runs alone: no launch happens here.
/// </summary>
public sealed class NeedsRequestApiTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    private static JsonObject NeedsBody(decimal maxPrice) => new()
    {
        ["userId"] = "placement-user",
        ["config"] = new JsonObject
        {
            ["diskSizeGB"] = 50,
            ["autoTerminateMinutes"] = 30,
            ["requirements"] = new JsonObject
            {
                ["gpu"] = "A10G", ["gpuCount"] = 1, ["maxPricePerHour"] = maxPrice, ["providers"] = new JsonArray("AWS"),
                ["regions"] = new JsonArray("us-west-2", "eu-west-1"), ["spot"] = "never",
            },
        },
    };

    [Fact]
    public async Task Create_WithRequirements_IsPlacedOnTheCheapestFittingOffer()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", NeedsBody(2m));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var instance = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance;
        (instance.Provider, instance.InstanceType, instance.Region).Should().Be((Provisioner.Core.Instances.CloudProviderName.Aws, "g5.xlarge", "eu-west-1"));
        var attempts = await stack.Client.GetFromJsonAsync<LaunchAttemptsEnvelope>($"/api/instances/{instance.Id}/attempts", ProvisionerStack.Json);
        attempts!.Attempts.Should().BeEmpty("nothing was launched yet");
    }

    [Fact]
    public async Task Create_NothingWithinTheMaxPrice_IsTheNoOfferProblem()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", NeedsBody(0.5m));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("no_offer_within_price");
    }

    [Fact]
    public async Task Attempts_OfAnotherTenantsOrUnknownInstance_AreNotFound()
    {
        using var response = await stack.Client.GetAsync($"/api/instances/{Guid.NewGuid()}/attempts");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
