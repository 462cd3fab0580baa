using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Catalog;

/// <summary>A simulated cloud whose list differs from the catalog, and a worker checking it every second.</summary>
public sealed class CatalogMismatchStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Catalog__CheckInterval"] = "00:00:01",
        ["Providers__Simulated__Unsold__0"] = "sim.gpu.large@sim-local-2",
        ["Providers__Simulated__AlsoSold__0"] = "sim.gpu.medium@sim-local-1",
    };
}

/// <summary>The worker's recurring catalog check finds the differences, and <c>/health/ready</c> says Degraded (still 200) with one key per mismatch.</summary>
public sealed class CatalogHealthTests(CatalogMismatchStack stack) : IClassFixture<CatalogMismatchStack>
{
    [Fact]
    public async Task RecurringCheck_CloudListDiffers_ReadyIsDegradedWithAKeyPerMismatch()
    {
        var waited = Stopwatch.StartNew();
        JsonNode catalog;
        while (true)
        {
            using var response = await stack.Client.GetAsync("/health/ready");
            response.StatusCode.Should().Be(HttpStatusCode.OK, "a catalog mismatch degrades, it does not take the node out");
            var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            catalog = health["checks"]!["catalog"]!;
            if (catalog["status"]!.GetValue<string>() == "Degraded")
            {
                health["status"]!.GetValue<string>().Should().Be("Degraded");
                break;
            }

            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), $"the worker checks every second\n{stack.Logs()}");
            await Task.Delay(200);
        }

        catalog["description"]!.GetValue<string>().Should().StartWith("2 catalog mismatches");
        catalog["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()).Should().SatisfyRespectively(
            first =>
            {
                first.Key.Should().Be("SIMULATED/sim-local-1/sim.gpu.medium");
                first.Value.Should().StartWith("NOT_IN_CATALOG since ");
            },
            second =>
            {
                second.Key.Should().Be("SIMULATED/sim-local-2/sim.gpu.large");
                second.Value.Should().StartWith("UNKNOWN_TO_CLOUD since ");
            });
    }
}
