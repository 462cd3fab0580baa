using System.Text.Json.Nodes;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Client;

/// <summary>
/// The <c>provisioner</c> command as a process against the real stack: what it prints with <c>--json</c>, and the exit
/// code that says what happened (0 done, 2 usage, 3 refused, 4 not found, 7 not authorized, 8 unavailable).
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class CliTests(ClientStack stack)
{
    private Dictionary<string, string> As(string key) => new()
    {
        ["PROVISIONER_URL"] = stack.Api.BaseAddress.ToString(),
        ["PROVISIONER_API_KEY"] = key,
    };

    private Task<CliRun> RunAsync(params string[] args) => CliProcess.RunAsync(As(stack.TenantKey), args);

    [Fact]
    public async Task UpWait_Ls_Get_Events_DownWait_RunTheMachineToItsEnd()
    {
        var user = "cli-" + Guid.NewGuid().ToString("N")[..8];

        var up = await RunAsync("up", "--gpu", "A100", "--max-price", "10", "--user", user, "--wait", "--timeout", "00:02:00", "--json");
        var id = (string)up.Json["id"]!;
        var ls = await RunAsync("ls", "--user", user, "--json");
        var get = await RunAsync("get", id, "--json");
        var events = await RunAsync("events", id, "--json");
        var human = await RunAsync("ls", "--user", user);
        var down = await RunAsync("down", id, "--wait", "--json");

        up.ExitCode.Should().Be(0, up.ToString());
        ((string)up.Json["status"]!).Should().Be("READY", up.ToString());
        up.Stderr.Should().Contain("PROVISIONING").And.Contain("READY", "the progress says each status and what the cloud said");
        ls.ExitCode.Should().Be(0, ls.ToString());
        ls.Json.AsArray().Select(i => (string)i!["id"]!).Should().Equal(id);
        ((string)get.Json["status"]!).Should().Be("READY", get.ToString());
        events.Json["events"]!.AsArray().Select(e => (string)e!["to"]!).Should().ContainInOrder("PROVISIONING", "READY");
        events.Json["attempts"]!.AsArray().Should().Contain(a => (string)a!["outcome"]! == "LAUNCHED");
        human.ExitCode.Should().Be(0, human.ToString());
        human.Stdout.Should().Contain(id).And.Contain("READY");
        down.ExitCode.Should().Be(0, down.ToString());
        ((string)down.Json["status"]!).Should().Be("TERMINATED", down.ToString());
    }

    [Fact]
    public async Task UpOnInterruptionRelaunch_AfterAReclaim_GetShowsTheInterruptionAndBothMachines()
    {
        var up = await RunAsync("up", "--type", "sim.gpu.small", "--provider", "SIMULATED", "--region", "sim-local-1", "--on-interruption", "relaunch",
            "--wait", "--timeout", "00:02:00", "--json");
        var badPolicy = await RunAsync("up", "--type", "sim.gpu.small", "--provider", "SIMULATED", "--region", "sim-local-1", "--on-interruption", "retry");
        up.ExitCode.Should().Be(0, up.ToString());
        ((string)up.Json["onInterruption"]!).Should().Be("relaunch");
        badPolicy.ExitCode.Should().Be(2, badPolicy.ToString());
        var id = Guid.Parse((string)up.Json["id"]!);
        var first = (string)up.Json["cloudInstanceId"]!;

        await new Provisioner.Core.Providers.Simulated.SimulatedCloudControl(stack.Database.DataSource)
            .PreemptAsync(first, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await stack.GetInstanceAsync(id) is not { Status: Provisioner.Core.Instances.InstanceStatus.Ready, Interruptions: 1 })
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the reclaim is noticed and the instance relaunched");
            await Task.Delay(200);
        }

        var get = await RunAsync("get", id.ToString());
        var json = await RunAsync("get", id.ToString(), "--json");
        await RunAsync("down", id.ToString(), "--wait", "--json");

        get.ExitCode.Should().Be(0, get.ToString());
        get.Stdout.Should().Contain("interruptions").And.Contain(first).And.Contain("(current)", "every machine is listed with its bill");
        ((int)json.Json["interruptions"]!).Should().Be(1);
        ((string)json.Json["cloudInstanceId"]!).Should().NotBe(first);
    }

    [Fact]
    public async Task Get_UnknownInstance_Exits4WithTheProblemAsJson()
    {
        var run = await RunAsync("get", Guid.NewGuid().ToString(), "--json");

        run.ExitCode.Should().Be(4, run.ToString());
        ((string)run.Json["error"]!["code"]!).Should().Be("instance_not_found");
        ((int)run.Json["error"]!["status"]!).Should().Be(404);
    }

    [Fact]
    public async Task Up_NothingWithinThePrice_Exits3NamingTheCode()
    {
        var run = await RunAsync("up", "--gpu", "A100", "--max-price", "0.01", "--json");

        run.ExitCode.Should().Be(3, run.ToString());
        ((string)run.Json["error"]!["code"]!).Should().Be("no_offer_within_price");
        ((string)run.Json["error"]!["field"]!).Should().Be("maxPricePerHour");
    }

    [Fact]
    public async Task WrongKey_Exits7_AndTenantKeyOnKeys_Exits7()
    {
        var wrong = await CliProcess.RunAsync(As("prov_wrong"), ["ls", "--json"]);
        var tenant = await RunAsync("keys", "ls", "--json");

        wrong.ExitCode.Should().Be(7, wrong.ToString());
        ((string)wrong.Json["error"]!["code"]!).Should().Be("unauthorized");
        tenant.ExitCode.Should().Be(7, tenant.ToString());
        ((string)tenant.Json["error"]!["code"]!).Should().Be("forbidden");
    }

    [Fact]
    public async Task NoConfiguration_Exits2_AndUnreachableApi_Exits8()
    {
        var unconfigured = await CliProcess.RunAsync(new Dictionary<string, string>(), ["ls"]);
        var badUsage = await RunAsync("up", "--count", "2");
        var unreachable = await CliProcess.RunAsync(new Dictionary<string, string> { ["PROVISIONER_URL"] = "http://127.0.0.1:9", ["PROVISIONER_API_KEY"] = "prov_x" }, ["ls", "--json"]);

        unconfigured.ExitCode.Should().Be(2, unconfigured.ToString());
        unconfigured.Stderr.Should().Contain("PROVISIONER_URL");
        badUsage.ExitCode.Should().Be(2, badUsage.ToString());
        badUsage.Stderr.Should().Contain("--gpu");
        unreachable.ExitCode.Should().Be(8, unreachable.ToString());
        ((string)unreachable.Json["error"]!["code"]!).Should().Be("unavailable");
    }

    [Fact]
    public async Task ProfileFile_SuppliesAddressAndKey()
    {
        var file = Path.Combine(Path.GetTempPath(), $"provisioner-profile-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonObject
        {
            ["profiles"] = new JsonObject { ["ops"] = new JsonObject { ["url"] = stack.Api.BaseAddress.ToString(), ["apiKey"] = stack.AdminKey } },
        }.ToJsonString());
        try
        {
            var run = await CliProcess.RunAsync(new Dictionary<string, string> { ["PROVISIONER_CONFIG"] = file }, ["keys", "ls", "--profile", "ops", "--json"]);
            var missing = await CliProcess.RunAsync(new Dictionary<string, string> { ["PROVISIONER_CONFIG"] = file }, ["ls", "--profile", "nobody"]);

            run.ExitCode.Should().Be(0, run.ToString());
            run.Json.AsArray().Should().Contain(k => (string)k!["tenant"]! == "operators");
            missing.ExitCode.Should().Be(2, missing.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Offers_Costs_AndKeysCreate_AnswerJson()
    {
        var offers = await RunAsync("offers", "--gpu", "A100", "--json");
        var costs = await RunAsync("costs", "--json");
        var created = await CliProcess.RunAsync(As(stack.AdminKey), ["keys", "create", "--tenant", "cli-made", "--name", "from the cli test", "--json"]);

        offers.ExitCode.Should().Be(0, offers.ToString());
        offers.Json.AsArray().Should().NotBeEmpty().And.OnlyContain(o => (string)o!["gpuModel"]! == "A100");
        costs.ExitCode.Should().Be(0, costs.ToString());
        costs.Json["daily"]!["days"]!.AsArray().Should().NotBeEmpty();
        created.ExitCode.Should().Be(0, created.ToString());
        ((string)created.Json["secret"]!).Should().StartWith("prov_");
    }
}
