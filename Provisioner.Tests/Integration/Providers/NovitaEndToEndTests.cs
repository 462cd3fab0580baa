using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers.Novita;
using Provisioner.Tests.Fakes.Novita;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Providers;

/// <summary>The API and a worker with the NovitaAI adapter enabled, pointed at the local Novita through configuration only.</summary>
public sealed class NovitaStack : ProvisionerStack
{
    public LocalNovita Novita { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Novita__Enabled"] = "true",
        ["Providers__Novita__Endpoint"] = Novita.Endpoint.ToString(),
        ["Providers__Novita__ApiKey"] = LocalNovita.ApiKey,
        ["Providers__Novita__DefaultImage"] = NovitaTestOptions.Image,
        ["Providers__Novita__ProductCacheTime"] = "00:00:00",
        ["Lifecycle__CloudRetryInitialDelay"] = "00:00:00.200",
        ["Resilience__Defaults__RetryBaseDelay"] = "00:00:00.050",
    };

    public override async Task InitializeAsync()
    {
        Novita = await LocalNovita.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Novita is not null)
        {
            await Novita.DisposeAsync();
        }
    }
}

/// <summary>The NovitaAI service's request shape through the API and a worker, against the local Novita: create, ready, delete.</summary>
public sealed class NovitaEndToEndTests(NovitaStack stack) : IClassFixture<NovitaStack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task NovitaShape_CreateReadyDelete_OnTheLocalNovita()
    {
        var name = Builders.InstanceRequestBuilder.UniqueUser("ft");
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", new JsonObject
        {
            ["name"] = name, ["productName"] = "RTX 4090 24GB", ["templateId"] = 1001, ["gpuNum"] = 2, ["rootfsSize"] = 60, ["region"] = "EU-DE-01",
        });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, text);
        var envelope = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!;
        envelope.EstimatedReadyAt.Should().BeAfter(envelope.Instance.CreatedAt);
        envelope.Instance.Provider.Should().Be(CloudProviderName.Novita);
        envelope.Instance.UserId.Should().Be(name);
        envelope.Instance.GpuCount.Should().Be(2);
        envelope.Instance.CostPerHour.Should().Be(0.70m, "the catalog's per-GPU price times two GPUs");
        var id = envelope.Instance.Id;

        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, Patience);

        ready.Backend.Should().Be("NOVITA");
        ready.PublicIp.Should().StartWith("203.0.113.", "read from the port mapping's endpoint");
        var machine = stack.Novita.Instances.Single(i => i.Id == ready.CloudInstanceId);
        machine.Name.Should().Be(NovitaNames.For("default", id), "the name carries the cluster and the instance id");
        machine.ProductName.Should().Be("RTX 4090 24GB");
        machine.ClusterId.Should().Be("EU-DE-01");
        machine.GpuNum.Should().Be(2);
        machine.RootfsSize.Should().Be(60);
        machine.ImageUrl.Should().Be(stack.Novita.Templates["1001"].Image, "the template's image");
        machine.Envs["PROVISIONER_INSTANCE_ID"].Should().Be(id.ToString());

        (await stack.Client.DeleteAsync($"/api/instances/{id}")).Dispose();
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, Patience);

        machine.DeleteRequestedAt.Should().NotBeNull("the instance is deleted on Novita");
    }

    /// <summary>
    /// Novita refuses the worker's key (401) or its access (403) once the instance is created: the readiness look fails the
    /// instance at once with Novita's words (not after the 10-minute stuck limit), and the instance is deleted.
    /// </summary>
    [Theory]
    [InlineData("UNAUTHORIZED", 401, "invalid api key")]
    [InlineData("FORBIDDEN", 403, "the api key has no permission for this operation")]
    public async Task Novita_ReadRefusedDuringReadiness_FailsTheInstanceAtOnceInNovitasWords_AndDeletesIt(string reason, int status, string message)
    {
        var checks = stack.Novita.ChecksTime;
        // The instance stays initializing (SSH not up), so readiness keeps looking until the refusal meets it.
        stack.Novita.ChecksTime = TimeSpan.FromMinutes(5);
        try
        {
            using var response = await stack.Client.PostAsJsonAsync("/api/instances", new JsonObject
            {
                ["name"] = Builders.InstanceRequestBuilder.UniqueUser("iam"), ["productName"] = "RTX 4090 24GB", ["templateId"] = 1001, ["gpuNum"] = 1,
                ["rootfsSize"] = 60, ["region"] = "EU-DE-01",
            });
            response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            var id = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
            var name = NovitaNames.For("default", id);
            await WaitUntilAsync(() => stack.Novita.Instances.Any(i => i.Name == name), "the instance is created");
            stack.Novita.FailNext(LocalNovita.Get, [.. Enumerable.Range(0, 200).Select(_ => new NovitaErrorException(reason, message, status))]);
            var refusedFrom = System.Diagnostics.Stopwatch.StartNew();

            var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Patience);

            failed.FailureReason.Should().Be($"Unauthorized: NOVITA returned {reason}: {message}");
            refusedFrom.Elapsed.Should().BeLessThan(Patience, "it fails at once, not at the stuck limit");
            await WaitUntilAsync(() => stack.Novita.Instances.Single(i => i.Name == name).DeleteRequestedAt is not null, "the failed instance is deleted on Novita");
        }
        finally
        {
            stack.Novita.ClearFailures();
            stack.Novita.ChecksTime = checks;
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition, string because)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"{because}\n{stack.Logs()}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task NovitaShape_WebhookUrlThatIsNotHttp_IsTheWebhookProblem()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", new JsonObject
        {
            ["name"] = "n1", ["productName"] = "RTX 4090 24GB", ["templateId"] = 1001, ["gpuNum"] = 1, ["rootfsSize"] = 60, ["webhookUrl"] = "ftp://hooks.example.com/x",
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("webhook_url_not_allowed");
        ((string)problem["field"]!).Should().Be("webhookUrl");
    }
}

/// <summary>Placement's view through the API: ranked offers, the price ceiling, and refusals every process remembers.</summary>
public sealed class NovitaPlacementTests(NovitaStack stack) : IClassFixture<NovitaStack>
{
    [Fact]
    public async Task Offers_NothingWithinTheMaxPrice_IsTheNoOfferProblem()
    {
        using var response = await stack.Client.GetAsync("/api/offers?gpu=H100&count=1&maxPricePerHour=0.5");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string)problem["code"]!).Should().Be("no_offer_within_price");
    }

    [Fact]
    public async Task Offers_AreRankedCheapestFirst_WithPrices()
    {
        var offers = JsonNode.Parse(await stack.Client.GetStringAsync("/api/offers?gpu=A100&count=1"))!["offers"]!.AsArray();

        offers.Should().NotBeEmpty();
        var prices = offers.Select(o => (decimal)o!["pricePerHour"]!).ToList();
        prices.Should().BeInAscendingOrder();
        ((string)offers[0]!["provider"]!).Should().Be("NOVITA");
    }

    [Fact]
    public async Task CapacityRefusal_MarksTheOfferingUnavailable_ForEveryProcess()
    {
        stack.Novita.SetStock("US-TX-02", "H100 SXM 80GB", available: false);
        using var response = await stack.Client.PostAsJsonAsync("/api/instances", new JsonObject
        {
            ["name"] = "h100-run", ["productName"] = "H100 SXM 80GB", ["templateId"] = 1001, ["gpuNum"] = 1, ["rootfsSize"] = 60, ["region"] = "US-TX-02",
        });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;

        var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, TimeSpan.FromSeconds(45));

        failed.FailureReason.Should().StartWith("InsufficientCapacity: NOVITA returned NO_AVAILABLE_PRODUCT");
        // Marked by the worker, read by the API process: the memory is shared through PostgreSQL.
        // Another tenant sees the state, not the cloud's words about a launch that was not theirs.
        using var other = stack.CreateClient(stack.OtherTenantKey);
        var offers = JsonNode.Parse(await other.GetStringAsync("/api/offers?gpu=H100&count=1&providers=NOVITA"))!["offers"]!.AsArray();
        var refused = offers.Single(o => (string)o!["region"]! == "US-TX-02" && (string)o["market"]! == "on-demand")!;
        ((bool)refused["available"]!).Should().BeFalse();
        ((string)refused["state"]!).Should().Be("backoff");
        ((int)refused["refusals"]!).Should().Be(1);
        ((string)refused["unavailableReason"]!).Should().Be("InsufficientCapacity: NOVITA returned NO_AVAILABLE_PRODUCT",
            "any tenant sees the class and code, not the cloud's message about another tenant's launch");
        ((bool)offers[0]!["available"]!).Should().BeTrue("the refused offering is ranked after those still available");
    }
}
