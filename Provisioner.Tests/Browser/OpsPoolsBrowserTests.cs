using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.Api.Pools;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>The Pools page: a pool defined through the API is listed with its size and figures; Resize, Drain and Delete act on it and are audited.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsPoolsBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task Pool_IsListed_ResizedDrainedAndDeletedFromThePage_AndAudited()
    {
        var name = "ops-" + Guid.NewGuid().ToString("N")[..8];
        using (var admin = stack.CreateClient(stack.AdminKey))
        using (var created = await admin.PostAsJsonAsync("/api/admin/pools", new { name, provider = "SIMULATED", instanceType = "sim.gpu.small", region = "sim-local-1", min = 0, max = 2 }))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "pools");
        await sut.SignInToAsync(stack, "/ops/pools", "listed");
        var row = sut.Page.Locator($"#pools tr[data-pool='{name}']");
        await Assertions.Expect(row.Locator(".size")).ToContainTextAsync("0-2");
        await Assertions.Expect(row.Locator(".pool-state")).ToHaveTextAsync("ACTIVE");
        await Assertions.Expect(row.Locator(".hit-rate")).ToHaveTextAsync("—");

        await row.Locator("input[name=max]").FillAsync("3");
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resize" }).ClickAsync();
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name}: resized from 0-2 to 0-3");
        await Assertions.Expect(row.Locator(".size")).ToContainTextAsync("0-3");

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Drain" }).ClickAsync();
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name}: drained: min 0, 0 warm machine(s) released");

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{name}: deleted");
        await sut.ShotAsync("deleted");

        (await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.ops_audit WHERE target = $1", name))
            .Should().Be(4, "created through the API, then resized, drained and deleted on the page");
    }
}
