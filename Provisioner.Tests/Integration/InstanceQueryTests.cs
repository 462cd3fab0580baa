using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Catalog;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>Listing, statistics and the catalog, over real HTTP against the API process.</summary>
public sealed class InstanceQueryTests(ProvisionerStack stack) : IClassFixture<ProvisionerStack>
{
    [Fact]
    public async Task List_PagesNewestFirstWithACursor()
    {
        var userId = InstanceRequestBuilder.UniqueUser();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateAsync(userId));
        }

        var first = (await stack.Client.GetFromJsonAsync<InstanceListEnvelope>($"/api/instances?userId={userId}&limit=2", ProvisionerStack.Json))!;
        first.Count.Should().Be(2);
        first.Instances.Select(i => i.Id).Should().Equal(ids[2], ids[1]);
        first.NextCursor.Should().NotBeNullOrEmpty();

        var second = (await stack.Client.GetFromJsonAsync<InstanceListEnvelope>(
            $"/api/instances?userId={userId}&limit=2&cursor={first.NextCursor}", ProvisionerStack.Json))!;
        second.Instances.Select(i => i.Id).Should().Equal(ids[0]);
        second.NextCursor.Should().BeNull();
    }

    [Fact]
    public async Task List_FiltersByStatus()
    {
        var userId = InstanceRequestBuilder.UniqueUser();
        var kept = await CreateAsync(userId);
        var stopped = await CreateAsync(userId);
        (await stack.Client.DeleteAsync($"/api/instances/{stopped}")).Dispose();
        await stack.WaitForStatusAsync(stopped, InstanceStatus.Terminated, TimeSpan.FromSeconds(45));

        var terminated = (await stack.Client.GetFromJsonAsync<InstanceListEnvelope>(
            $"/api/instances?userId={userId}&status=TERMINATED", ProvisionerStack.Json))!;
        terminated.Instances.Select(i => i.Id).Should().Equal(stopped);

        var all = (await stack.Client.GetFromJsonAsync<InstanceListEnvelope>($"/api/instances?userId={userId}", ProvisionerStack.Json))!;
        all.Instances.Select(i => i.Id).Should().BeEquivalentTo([kept, stopped]);
    }

    [Theory]
    [InlineData("status=READYISH", "status")]
    [InlineData("status=ready", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=MTIzOnh5eg", "cursor")]
    public async Task List_WithBadQuery_AnswersProblemNamingTheParameter(string query, string field)
    {
        using var response = await stack.Client.GetAsync($"/api/instances?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["code"]!.GetValue<string>().Should().Be("invalid_query");
        problem["field"]!.GetValue<string>().Should().Be(field);
    }

    [Fact]
    public async Task Stats_CountsCostsAndBreaksDownByProviderAndType()
    {
        var userId = InstanceRequestBuilder.UniqueUser();
        await CreateAsync(userId, "AZURE", "Standard_NC6", "eastus");
        var stopped = await CreateAsync(userId, "AWS", "g4dn.xlarge", "us-east-1");
        await stack.WaitForStatusAsync(stopped, InstanceStatus.Ready, TimeSpan.FromSeconds(45));
        (await stack.Client.DeleteAsync($"/api/instances/{stopped}")).Dispose();
        var (terminated, _) = await stack.WaitForStatusAsync(stopped, InstanceStatus.Terminated, TimeSpan.FromSeconds(45));

        var stats = (await stack.Client.GetFromJsonAsync<InstanceStatisticsEnvelope>($"/api/instances/stats?userId={userId}", ProvisionerStack.Json))!.Statistics;

        stats.TotalProvisioned.Should().Be(2);
        stats.ProviderBreakdown.Should().Equal(new Dictionary<string, int> { ["AWS"] = 1, ["AZURE"] = 1 });
        stats.InstanceTypeBreakdown.Should().Equal(new Dictionary<string, int> { ["Standard_NC6"] = 1, ["g4dn.xlarge"] = 1 });
        stats.StatusBreakdown.Should().ContainKey("TERMINATED").WhoseValue.Should().Be(1);
        stats.AverageCost.Should().Be(terminated.TotalCost, "one instance has finished");
        stats.TotalCost.Should().BeGreaterThanOrEqualTo(terminated.TotalCost);
        stats.AverageDuration.Should().BeApproximately((terminated.TerminatedAt!.Value - terminated.CreatedAt).TotalHours, 0.0001);
    }

    [Fact]
    public async Task InstanceTypes_ListTheSeedCatalogWithPrices()
    {
        var catalog = (await stack.Client.GetFromJsonAsync<InstanceTypesEnvelope>("/api/instance-types", ProvisionerStack.Json))!;
        var prices = catalog.InstanceTypes.ToDictionary(t => $"{t.Provider}/{t.Name}", t => t.CostPerHour);

        prices.Should().Contain(new Dictionary<string, decimal>
        {
            ["AZURE/Standard_NC6"] = 0.90m, ["AZURE/Standard_NC12"] = 1.80m, ["AZURE/Standard_NC24"] = 3.60m,
            ["AZURE/Standard_NV6"] = 1.14m, ["AZURE/Standard_NV12"] = 2.28m,
            ["AWS/p2.xlarge"] = 0.90m, ["AWS/p2.8xlarge"] = 7.20m, ["AWS/p3.2xlarge"] = 3.06m,
            ["AWS/g4dn.xlarge"] = 0.526m, ["AWS/g4dn.12xlarge"] = 3.912m,
        });
        var p3 = catalog.InstanceTypes.Single(t => t.Name == "p3.2xlarge");
        p3.Gpu.Model.Should().Be("V100");
        p3.Vcpus.Should().Be(8);
        p3.MemoryGiB.Should().Be(61);

        var aws = (await stack.Client.GetFromJsonAsync<InstanceTypesEnvelope>("/api/instance-types?provider=AWS", ProvisionerStack.Json))!;
        aws.InstanceTypes.Should().OnlyContain(t => t.Provider == "AWS").And.HaveCount(aws.Count);
    }

    private async Task<Guid> CreateAsync(string userId, string provider = "AZURE", string type = "Standard_NC6", string region = "eastus")
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(userId, provider, type, region));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }
}
