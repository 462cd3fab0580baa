using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Tenancy;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>An operator finds an instance a tenant created through the API, opens it and terminates it.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsInstancesBrowserTests(OpsStack stack)
{
    // The page reloads itself every 2 s while the instance stops; the worker takes a few seconds on a busy machine.
    private static readonly LocatorAssertionsToHaveTextOptions UntilTheWorkerIsDone = new() { Timeout = 60_000 };

    [Fact]
    public async Task InstanceFromTheApi_IsListed_OpenedAndTerminatedByTheOperator()
    {
        await stack.EnsureWorkerAsync();
        var user = InstanceRequestBuilder.UniqueUser("ops");
        var id = await CreateInstanceAsync(user);
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "instances");

        await sut.SignInToAsync(stack, $"/ops/instances?user={user}", "instances-found");
        var link = sut.Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = id.ToString() });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Assertions.Expect(sut.Page.Locator("tr", new PageLocatorOptions { HasText = id.ToString() })).ToContainTextAsync(ProvisionerStack.Tenant);
        await link.ClickAsync();
        await sut.WaitForPageAsync(stack.Url($"/ops/instances/{id}"));
        await Assertions.Expect(sut.Page.Locator("#instance-state")).ToHaveTextAsync("READY");
        await Assertions.Expect(sut.Page.Locator("#timeline")).ToContainTextAsync("1. SIMULATED sim.gpu.small in sim-local-1 (on-demand)");
        await Assertions.Expect(sut.Page.Locator("#timeline")).ToContainTextAsync(": launched");
        await sut.ShotAsync("instance-ready");

        await sut.SubmitAsync("Terminate", "terminate-requested");

        await Assertions.Expect(sut.Page.Locator("#instance-state")).ToHaveTextAsync("TERMINATED", UntilTheWorkerIsDone);
        await sut.ShotAsync("instance-terminated");
        (await stack.GetInstanceAsync(id)).Status.Should().Be(InstanceStatus.Terminated);
        ApiKeySecret.TryParse(stack.AdminKey, out var keyId, out _).Should().BeTrue();
        await Assertions.Expect(sut.Page.Locator("#timeline")).ToContainTextAsync($"STOPPING: terminated by operator test key for operators ({keyId})");
        await Assertions.Expect(sut.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Terminate" })).ToHaveCountAsync(0);
        await sut.GotoAsync("/ops/audit", "audit");
        var entry = sut.Page.Locator("#audit tr", new PageLocatorOptions { HasText = id.ToString() });
        await Assertions.Expect(entry).ToContainTextAsync("terminate-instance");
        await Assertions.Expect(entry).ToContainTextAsync(keyId);
        await Assertions.Expect(entry).ToContainTextAsync("stop requested");
    }

    [Fact]
    public async Task Search_ByEveryField_FindsTheInstance_AndOtherValuesDoNot()
    {
        var user = InstanceRequestBuilder.UniqueUser("find");
        var id = await CreateInstanceAsync(user);
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "instance-search");
        await sut.SignInToAsync(stack, "/ops/instances", "instances");
        var link = sut.Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = id.ToString() });

        await sut.GotoAsync($"/ops/instances?id={id}&tenant={ProvisionerStack.Tenant}&user={user}&provider=SIMULATED&region=sim-local-1&from={today}&to={today}", "search-all-fields");
        await Assertions.Expect(link).ToBeVisibleAsync();
        await sut.GotoAsync($"/ops/instances?user={user}&tenant=tenant-b", "search-other-tenant");
        await Assertions.Expect(link).ToHaveCountAsync(0);
        await Assertions.Expect(sut.Page.GetByText("No instance matches.")).ToBeVisibleAsync();
    }

    private async Task<Guid> CreateInstanceAsync(string user)
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(user, "SIMULATED", "sim.gpu.small", "sim-local-1"));
        post.EnsureSuccessStatusCode();
        return (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }
}
