using Microsoft.Playwright;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>The catalog check's findings on the Providers page and on <c>/health/ready</c> (a screenshot is kept).</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsCatalogBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task CatalogMismatches_AreShownOnProviders_AndDegradeReadiness()
    {
        // The rows the worker's catalog check writes (CatalogCheck; the job itself is proven by CatalogHealthTests), in a region of this test's own.
        var region = "cat-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Database.ExecuteAsync(
            "INSERT INTO provisioner.catalog_mismatches (provider, region, instance_type, kind, cloud_name, first_seen_at, last_seen_at) VALUES "
            + "('AWS', $1, 'p2.xlarge', 'UNKNOWN_TO_CLOUD', NULL, now() - interval '2 days', now()), "
            + "('AWS', $1, 'g5.48xlarge', 'NOT_IN_CATALOG', NULL, now() - interval '1 hour', now()), "
            + "('NOVITA', $1, 'A100 SXM4 80GB', 'SPELLED_DIFFERENTLY', 'A100 SXM 80GB', now(), now())",
            region);
        using var anonymous = stack.CreateClient(null);
        var health = await anonymous.GetStringAsync("/health/ready");
        health.Should().Contain($"AWS/{region}/p2.xlarge").And.Contain($"AWS/{region}/g5.48xlarge")
            .And.NotContain($"NOVITA/{region}", "a spelling launches resolve does not degrade");
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "catalog");

        await sut.SignInToAsync(stack, "/ops/providers", "providers");

        var rows = sut.Page.Locator("#catalog-mismatches tr", new PageLocatorOptions { HasText = region });
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Filter(new LocatorFilterOptions { HasText = "p2.xlarge" })).ToContainTextAsync("UNKNOWN_TO_CLOUD");
        await Assertions.Expect(rows.Filter(new LocatorFilterOptions { HasText = "g5.48xlarge" })).ToContainTextAsync("NOT_IN_CATALOG");
        await Assertions.Expect(rows.Filter(new LocatorFilterOptions { HasText = "A100 SXM4 80GB" })).ToContainTextAsync("A100 SXM 80GB");
        await sut.ShotAsync("catalog-mismatches");
    }
}
