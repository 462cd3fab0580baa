using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// An operator finds a failed job on the dashboard, fixes its cause and retries it, as in production: a worker
/// that cannot reach an instance's cloud (its adapter is not configured there) fails the terminate job; once the
/// adapter is back, a requeue from the dashboard finishes the termination.
/// </summary>
[Collection(OpsCollection.Name)]
public sealed class OpsFailedJobTests(OpsStack stack)
{
    [Fact]
    public async Task FailedJob_IsSeenOnTheDashboard_RequeuedByTheOperator_AndSucceeds()
    {
        await stack.EnsureWorkerAsync();
        using var post = await stack.Client.PostAsJsonAsync("/api/instances",
            InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1"));
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));
        await SetBackendAsync(id, "RETIRED-CLOUD");
        (await stack.Client.DeleteAsync($"/api/instances/{id}")).Dispose();
        var jobId = await WaitForTerminateJobAsync(id, "Failed");

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "failed-job");
        await sut.GotoAsync("/ops/login?ReturnUrl=%2Fops%2Fjobs%2Fjobs%2Ffailed", "login");
        await sut.SignInAsync(stack.AdminKey, "failed-jobs");
        await Assertions.Expect(sut.Page.GetByText($"Terminate instance {id}")).ToBeVisibleAsync();

        await SetBackendAsync(id, "SIMULATED");
        await sut.GotoAsync($"/ops/jobs/jobs/details/{jobId}", "failed-job-details");
        await Assertions.Expect(sut.Page.GetByText("No cloud adapter named 'RETIRED-CLOUD'").First).ToBeVisibleAsync();
        await sut.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Requeue" }).ClickAsync();

        await WaitForTerminateJobAsync(id, "Succeeded");
        await stack.WaitForStatusAsync(id, InstanceStatus.Terminated, TimeSpan.FromSeconds(60));
        await sut.GotoAsync($"/ops/jobs/jobs/details/{jobId}", "requeued-job-succeeded");
        await Assertions.Expect(sut.Page.GetByText("Succeeded").First).ToBeVisibleAsync();

        // The audit list names both: the tenant's key that ended the instance, and the operator who requeued the job.
        Provisioner.Core.Tenancy.ApiKeySecret.TryParse(stack.AdminKey, out var adminKeyId, out _).Should().BeTrue();
        Provisioner.Core.Tenancy.ApiKeySecret.TryParse(stack.TenantKey, out var tenantKeyId, out _).Should().BeTrue();
        await sut.GotoAsync("/ops/audit", "audit-requeue-and-api-terminate");
        var requeued = sut.Page.Locator("#audit tr", new PageLocatorOptions { HasText = $"job {jobId}" });
        await Assertions.Expect(requeued).ToContainTextAsync("requeue-jobs");
        await Assertions.Expect(requeued).ToContainTextAsync(adminKeyId);
        var ended = sut.Page.Locator("#audit tr", new PageLocatorOptions { HasText = "terminate-instance-api" }).Filter(new LocatorFilterOptions { HasText = id.ToString() });
        await Assertions.Expect(ended).ToContainTextAsync(tenantKeyId);
        await Assertions.Expect(ended).ToContainTextAsync(Provisioner.Tests.Support.ProvisionerStack.Tenant);
    }

    private Task SetBackendAsync(Guid id, string backend) =>
        stack.Database.ExecuteAsync("UPDATE provisioner.instances SET backend = $2 WHERE id = $1", id, backend);

    private async Task<long> WaitForTerminateJobAsync(Guid id, string state)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var jobId = await stack.Database.ScalarAsync<long?>(
                $"SELECT max(id) FROM hangfire.job WHERE {JobStore.OfKind(InstanceWorkKind.Terminate)} AND {JobStore.ForInstance("$1")} AND statename = $2",
                id.ToString(), state);
            if (jobId is { } found)
            {
                return found;
            }

            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the terminate job should be {0}\n{1}", state, stack.Logs());
            await Task.Delay(200);
        }
    }
}
