using Microsoft.Playwright;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// The read-only pages: an open circuit and the workers' call counts show on Providers, and every page renders
/// (a screenshot of each is kept).
/// </summary>
[Collection(OpsCollection.Name)]
public sealed class OpsPagesBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task OpenCircuitAndCallCounts_AreShownOnProviders_AndTheCircuitCountedOnTheOverview()
    {
        // A worker's breaker writes this row when it opens (CloudCircuitRecorder); the test writes it as the worker would.
        var region = "ops-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Database.ExecuteAsync(
            "INSERT INTO provisioner.provider_circuits (backend, region, node, state, changed_at, open_until, last_error) VALUES ('SIMULATED', $1, 'worker-x', 'OPEN', now(), now() + interval '30 seconds', 'simulated outage: 503 from the control plane')",
            region);
        // Two workers' flushes (ProviderCallStatsFlusher) in this minute and the last, and one from two hours ago, outside the page's hour.
        await stack.Database.ExecuteAsync(
            "INSERT INTO provisioner.provider_call_stats (bucket_start, provider, region, outcome, node, calls, rate_limit_waits, rate_limit_wait_ms) VALUES "
            + "(date_trunc('minute', now()), 'SIMULATED', $1, 'ok', 'worker-x', 7, 0, 0), "
            + "(date_trunc('minute', now()) - interval '1 minute', 'SIMULATED', $1, 'ok', 'worker-y', 5, 0, 0), "
            + "(date_trunc('minute', now()), 'SIMULATED', $1, 'Transient', 'worker-x', 4, 0, 0), "
            + "(date_trunc('minute', now()), 'SIMULATED', $1, 'limiter_wait', 'worker-x', 0, 3, 2500), "
            + "(date_trunc('minute', now()) - interval '2 hours', 'SIMULATED', $1, 'Throttled', 'worker-x', 9, 0, 0)",
            region);
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "providers");

        await sut.SignInToAsync(stack, "/ops/providers", "providers");

        var row = sut.Page.Locator("#circuits tr", new PageLocatorOptions { HasText = region });
        await Assertions.Expect(row).ToContainTextAsync("OPEN");
        await Assertions.Expect(row).ToContainTextAsync("simulated outage");
        var calls = sut.Page.Locator("#call-stats tr", new PageLocatorOptions { HasText = region });
        await Assertions.Expect(calls.Locator("td")).ToHaveTextAsync(["SIMULATED", region, "16", "ok 12, Transient 4", "3", "2.5"]);
        await sut.GotoAsync("/ops", "overview");
        int.Parse(await sut.Page.Locator("#open-circuits").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
    }

    [Theory]
    [InlineData("/ops", "Operations")]
    [InlineData("/ops/instances", "Instances")]
    [InlineData("/ops/providers", "Circuits")]
    [InlineData("/ops/costs", "Spend per day")]
    [InlineData("/ops/webhooks", "Failed webhook deliveries")]
    [InlineData("/ops/reconciliation", "Reconciliation")]
    [InlineData("/ops/pools", "Pools")]
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
