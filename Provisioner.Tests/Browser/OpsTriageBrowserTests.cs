using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Browser;

/// <summary>
/// What an operator triaging many instances needs at a glance (issue 23): the landing page after sign-in, failures
/// with their cause in the list and on the instance, the total and sorting, and an overview that agrees with health.
/// </summary>
[Collection(OpsCollection.Name)]
public sealed class OpsTriageBrowserTests(OpsStack stack)
{
    private const string CloudError = "InsufficientCapacity: SIMULATED says sim.gpu.small is sold out in sim-local-1 (triage test)";

    [Fact]
    public async Task SignIn_WithoutAReturnUrl_LandsOnTheOverview()
    {
        await using var sut = await OpsBrowserPage.OpenAsync(stack, "triage-sign-in");
        await sut.GotoAsync("/ops/login", "login");

        await sut.SignInAsync(stack.AdminKey, "landed");

        sut.Page.Url.Should().Be(stack.Url("/ops"));
        await Assertions.Expect(sut.Page.Locator("h1")).ToHaveTextAsync("Operations");
    }

    [Fact]
    public async Task Instances_ShowEachFailuresCause_TheTotal_AndSortByCost()
    {
        // The shared worker may already run (another test of the collection started it): start it either way, so the
        // instances always settle the same way before their rows are rewritten.
        await stack.EnsureWorkerAsync();
        var user = InstanceRequestBuilder.UniqueUser("triage");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateInstanceAsync(user));
        }

        // Settled first: a step still under way would act on the rewritten rows (a launch meeting FAILED releases the
        // machine and writes the final cost), and the order under test would be the worker's, not the page's.
        foreach (var id in ids)
        {
            await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromMinutes(2));
        }

        // The first failed with the cloud's words; costs 3, 1, 2 so that sorting has something to order.
        await stack.Database.ExecuteAsync("UPDATE provisioner.instances SET status = 'FAILED', failure_reason = $2 WHERE id = $1", ids[0], CloudError);
        foreach (var (id, cost) in ids.Zip(new[] { 3m, 1m, 2m }))
        {
            await stack.Database.ExecuteAsync("UPDATE provisioner.instances SET total_cost = $2 WHERE id = $1", id, cost);
        }

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "triage-instances");
        await sut.SignInToAsync(stack, $"/ops/instances?user={user}", "listed");

        await Assertions.Expect(sut.Page.Locator("#instance-total")).ToHaveTextAsync("3 instances match");
        await Assertions.Expect(sut.Page.Locator("#instances tr", new PageLocatorOptions { HasText = ids[0].ToString() })).ToContainTextAsync(CloudError);
        await sut.GotoAsync($"/ops/instances?user={user}&sort=cost", "sorted-by-cost");
        (await FirstRowAsync(sut)).Should().Contain(ids[1].ToString(), "the cheapest first");
        await sut.Page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Cost ▲" }).ClickAsync();
        await sut.WaitForPageAsync(stack.Url($"/ops/instances?user={user}&sort=-cost"));
        await sut.ShotAsync("sorted-by-cost-descending");
        (await FirstRowAsync(sut)).Should().Contain(ids[0].ToString(), "the dearest first");

        await sut.GotoAsync($"/ops/instances/{ids[0]}", "failed-instance");
        await Assertions.Expect(sut.Page.Locator("#failure-reason")).ToHaveTextAsync(CloudError);
    }

    [Fact]
    public async Task Overview_CountsCircuitsAsHealthDoes_ShowsFailedJobsAndTheSpendRate_AlignedAndRefreshable()
    {
        // A half-open circuit is not closed: /health/ready reports it, so the overview must count it too.
        var node = "worker-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Database.ExecuteAsync(
            "INSERT INTO provisioner.provider_circuits (backend, region, node, state, changed_at, open_until, last_error) VALUES ('AWS', 'us-east-1', $1, 'HALF_OPEN', now(), now(), 'throttled (triage test)')",
            node);
        var running = await CreateInstanceAsync(InstanceRequestBuilder.UniqueUser("rate"));
        await stack.Database.ExecuteAsync(
            "UPDATE provisioner.instances SET status = 'RUNNING', launched_at = now(), cost_per_hour = 7.25 WHERE id = $1", running);
        using var anonymous = stack.CreateClient(null);
        var health = await anonymous.GetStringAsync("/health/ready");
        health.Should().Contain($"AWS/us-east-1@{node}");

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "triage-overview");
        await sut.SignInToAsync(stack, "/ops", "overview");

        await Assertions.Expect(sut.Page.Locator("#open-circuits")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex($"AWS/us-east-1@{node}"));
        int.Parse(await sut.Page.Locator("#open-circuits").InnerTextAsync(), CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(1);
        int.Parse(await sut.Page.Locator("#failed-jobs").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(0);
        decimal.Parse((await sut.Page.Locator("#spend-rate").InnerTextAsync()).TrimStart('$').Replace("/h", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture)
            .Should().BeGreaterThanOrEqualTo(7.25m, "the instance running at $7.25/h is part of it");

        // Each count sits under its own heading: the same alignment for both, column by column.
        var headings = await sut.Page.Locator("#by-state th").EvaluateAllAsync<string[]>("cells => cells.map(c => getComputedStyle(c).textAlign)");
        var counts = await sut.Page.Locator("#by-state td").EvaluateAllAsync<string[]>("cells => cells.map(c => getComputedStyle(c).textAlign)");
        headings.Should().Equal(counts);
        await Assertions.Expect(sut.Page.Locator("#refresh")).ToHaveAttributeAsync("href", "/ops");
        await Assertions.Expect(sut.Page.Locator("meta[http-equiv=refresh]")).ToHaveAttributeAsync("content", "30");
        await stack.Database.ExecuteAsync("DELETE FROM provisioner.provider_circuits WHERE node = $1", node);
        await stack.Database.ExecuteAsync("UPDATE provisioner.instances SET status = 'TERMINATED' WHERE id = $1", running);
    }

    private static async Task<string> FirstRowAsync(OpsBrowserPage sut) => await sut.Page.Locator("#instances tbody tr").First.InnerTextAsync();

    private async Task<Guid> CreateInstanceAsync(string user)
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(user, "SIMULATED", "sim.gpu.small", "sim-local-1"));
        post.EnsureSuccessStatusCode();
        return (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }
}

/// <summary>Budget danger on the Costs page: committed spend (the worst case) against the limit beside spent, and the month's 80%/100% announcements.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsBudgetBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task Costs_ShowsCommittedAgainstTheLimit_AndTheAnnouncements()
    {
        var tenant = "budget-" + Guid.NewGuid().ToString("N")[..8];
        using var client = stack.CreateClient(await stack.Database.CreateApiKeyAsync(tenant));
        (await client.PutAsJsonAsync("/api/budget", new { monthlyLimit = 5 })).EnsureSuccessStatusCode();
        using (var post = await client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser("budget"), "SIMULATED", "sim.gpu.small", "sim-local-1")))
        {
            post.EnsureSuccessStatusCode();
        }

        await stack.Database.ExecuteAsync(
            "INSERT INTO provisioner.budget_events (owner, month, percent, spent, monthly_limit, at, action) VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 80, 4.1, 5, now(), 'announced')",
            tenant);
        var budget = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/budget"))!["budget"]!;
        var worst = (decimal)budget["committed"]!;
        worst.Should().BeGreaterThan(0, "the instance's worst case is committed");

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "budget-danger");
        await sut.SignInToAsync(stack, "/ops/costs", "costs");

        var row = sut.Page.Locator("#budgets tr", new PageLocatorOptions { HasText = tenant });
        await Assertions.Expect(row.Locator(".worst")).ToHaveTextAsync($"{worst.ToString("$#,##0.00##", CultureInfo.InvariantCulture)} ({worst / 5m * 100m:0.#} %)");
        await Assertions.Expect(row.Locator(".announced")).ToContainTextAsync("80 %");
        if (worst >= 5m)
        {
            await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("danger"));
        }
    }
}

/// <summary>Receivers failing now, not only deliveries that already ran out of attempts.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsFailingReceiversBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task Webhooks_ListsReceiversFailingNow_WithTheirLastError()
    {
        // Two deliveries to one receiver, each tried and failed, still with attempts left (no worker runs them here).
        var url = $"https://hooks-{Guid.NewGuid():N}.example.com/in";
        for (var i = 0; i < 2; i++)
        {
            await stack.Database.ExecuteAsync(
                """
                INSERT INTO provisioner.webhook_deliveries (id, owner, instance_id, event_type, url, payload, status, attempts, attempt_limit,
                    next_attempt_at, created_at, updated_at, last_status_code, last_error)
                VALUES ($1, 'tenant-a', NULL, 'instance.ready', $2, '{}', 'PENDING', $3, 12, now() + interval '1 hour', now(), now(), 503, 'HTTP 503')
                """,
                Guid.NewGuid(), url, i + 2);
        }

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "failing-receivers");
        await sut.SignInToAsync(stack, "/ops/webhooks", "webhooks");

        var row = sut.Page.Locator("#failing-receivers tr", new PageLocatorOptions { HasText = url });
        await Assertions.Expect(row).ToContainTextAsync("HTTP 503");
        await Assertions.Expect(row.Locator(".retrying")).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator(".attempts")).ToHaveTextAsync("3");
        await stack.Database.ExecuteAsync("DELETE FROM provisioner.webhook_deliveries WHERE url = $1", url);
    }
}

/// <summary>Reconciliation's summary above its log: the last run per cloud and the last day's totals.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsReconciliationSummaryBrowserTests(OpsStack stack)
{
    [Fact]
    public async Task Reconciliation_SummarisesTheLastRunPerCloud_AndTheDaysTotals()
    {
        var backend = "TEST-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        foreach (var (ago, orphans, closed, error) in new[] { (120, 2, 1, (string?)null), (10, 1, 0, "List failed: throttled (summary test)") })
        {
            await stack.Database.ExecuteAsync(
                """
                INSERT INTO provisioner.reconciliation_runs (backend, started_at, finished_at, machines_seen, orphans_terminated, orphans_in_grace, records_closed, machines_adopted, error)
                VALUES ($1, now() - make_interval(mins => $2), now() - make_interval(mins => $2) + interval '2 seconds', 7, $3, 0, $4, 0, $5)
                """,
                backend, ago, orphans, closed, (object?)error ?? DBNull.Value);
        }

        await using var sut = await OpsBrowserPage.OpenAsync(stack, "reconciliation-summary");
        await sut.SignInToAsync(stack, "/ops/reconciliation", "reconciliation");

        var row = sut.Page.Locator("#summary tr", new PageLocatorOptions { HasText = backend });
        await Assertions.Expect(row.Locator(".last-outcome")).ToHaveTextAsync("List failed: throttled (summary test)");
        await Assertions.Expect(row.Locator(".runs")).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator(".failed-runs")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator(".orphans")).ToHaveTextAsync("3");
        await Assertions.Expect(row.Locator(".closed")).ToHaveTextAsync("1");
        await stack.Database.ExecuteAsync("DELETE FROM provisioner.reconciliation_runs WHERE backend = $1", backend);
    }

    [Fact]
    public async Task Reconciliation_ShowsEachCloudsMachineWatch_AndWhatItCouldNotRead()
    {
        var blind = "TEST-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var seeing = "TEST-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        const string unread = "partial: us-east-1 unread (Unauthorized: AWS returned UnauthorizedOperation: You are not authorized to perform: ec2:DescribeInstanceStatus)";
        await stack.Database.ExecuteAsync(
            """
            INSERT INTO provisioner.machine_watch_states (backend, checked_at, watched, error, failing_since)
            VALUES ($1, now(), 3, $2, now() - interval '5 minutes'), ($3, now(), 2, NULL, NULL)
            """,
            blind, unread, seeing);
        try
        {
            await using var sut = await OpsBrowserPage.OpenAsync(stack, "reconciliation-watch");
            await sut.SignInToAsync(stack, "/ops/reconciliation", "reconciliation");

            var failing = sut.Page.Locator("#watch tr", new PageLocatorOptions { HasText = blind });
            await Assertions.Expect(failing.Locator(".watch-outcome")).ToHaveTextAsync(unread);
            await Assertions.Expect(failing.Locator(".watched")).ToHaveTextAsync("3");
            await Assertions.Expect(failing.Locator(".failing-since")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$"));
            var ok = sut.Page.Locator("#watch tr", new PageLocatorOptions { HasText = seeing });
            await Assertions.Expect(ok.Locator(".watch-outcome")).ToHaveTextAsync("ok: every region read");
            await Assertions.Expect(ok.Locator(".failing-since")).ToHaveTextAsync("—");
        }
        finally
        {
            await stack.Database.ExecuteAsync("DELETE FROM provisioner.machine_watch_states WHERE backend IN ($1, $2)", blind, seeing);
        }
    }
}
