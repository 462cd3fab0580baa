using Microsoft.Playwright;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>The read-only pages: an open circuit shows on Providers, and every page renders (a screenshot of each is kept).</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsPagesBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task OpenCircuit_IsShownOnProviders_AndCountedOnTheOverview()
    {
        // A worker's breaker writes this row when it opens (CloudCircuitRecorder); the test writes it as the worker would.
        var region = "ops-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Database.ExecuteAsync(
            "INSERT INTO provisioner.provider_circuits (backend, region, node, state, changed_at, open_until, last_error) VALUES ('SIMULATED', $1, 'worker-x', 'OPEN', now(), now() + interval '30 seconds', 'simulated outage: 503 from the control plane')",
            region);
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "providers");

        await sut.SignInToAsync(stack, "/ops/providers", "providers");

        var row = sut.Page.Locator("#circuits tr", new PageLocatorOptions { HasText = region });
        await Assertions.Expect(row).ToContainTextAsync("OPEN");
        await Assertions.Expect(row).ToContainTextAsync("simulated outage");
        await sut.GotoAsync("/ops", "overview");
        int.Parse(await sut.Page.Locator("#open-circuits").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
    }

    [Theory]
    [InlineData("/ops", "Operations")]
    [InlineData("/ops/instances", "Instances")]
    [InlineData("/ops/providers", "Circuits")]
    [InlineData("/ops/costs", "Spend per day")]
    [InlineData("/ops/webhooks", "Failed webhook deliveries")]
    [InlineData("/ops/reconciliation", "Reconciliation runs")]
    [InlineData("/ops/audit", "Audit")]
    public async Task EveryPage_Renders_WithNothingFromElsewhere(string path, string heading)
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "page" + path.Replace('/', '-'));

        await sut.SignInToAsync(stack, path, "signed-in");
        var page = await sut.GotoAsync(path, "page");

        page!.Status.Should().Be(200, "the page renders\n{0}", stack.Logs());
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = heading, Level = 1 })).ToBeVisibleAsync();
        sut.Requested.Should().OnlyContain(url => url.StartsWith(stack.Url("/"), StringComparison.Ordinal), "the console loads nothing from elsewhere");
    }
}
