using Provisioner.Client;
using Provisioner.Client.Models;
using Provisioner.Client.Waiting;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Client;

/// <summary>A simulated cloud that accepts every launch and then loses the machine (an allocation failure after the fact).</summary>
public sealed class FailingCloudStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Simulated__LateFailureRate"] = "1.0",
    };
}

/// <summary>
/// A machine that fails instead of becoming ready: the client's wait throws <see cref="InstanceFailedException"/>
/// with the reason, and <c>provisioner up --wait</c> exits 5 printing the failed instance.
/// </summary>
public sealed class FailingCloudTests(FailingCloudStack stack) : IClassFixture<FailingCloudStack>
{
    private static readonly string[] Exact = ["--type", "sim.gpu.small", "--provider", "SIMULATED", "--region", "sim-local-1"];

    [Fact]
    public async Task WaitUntilReady_OnAMachineThatFails_ThrowsWithTheReason()
    {
        using var sut = new ProvisionerClient(new ProvisionerClientOptions { BaseAddress = stack.Api.BaseAddress, ApiKey = stack.TenantKey });
        var created = await sut.CreateInstanceAsync(new CreateInstanceRequest
        {
            UserId = "doomed",
            Config = new InstanceConfig { Provider = "SIMULATED", InstanceType = "sim.gpu.small", Region = "sim-local-1" },
        });

        var thrown = await FluentActions.Awaiting(() => sut.WaitUntilReadyAsync(created.Instance.Id, new WaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMinutes(2) }))
            .Should().ThrowAsync<InstanceFailedException>();

        thrown.Which.Instance.Status.Should().Be(InstanceStatuses.Failed, stack.Logs());
        thrown.Which.Instance.FailureReason.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task UpWait_OnAMachineThatFails_Exits5WithTheFailedInstance()
    {
        var run = await CliProcess.RunAsync(
            new Dictionary<string, string> { ["PROVISIONER_URL"] = stack.Api.BaseAddress.ToString(), ["PROVISIONER_API_KEY"] = stack.TenantKey },
            ["up", .. Exact, "--wait", "--timeout", "00:02:00", "--json"]);

        run.ExitCode.Should().Be(5, run.ToString());
        ((string)run.Json["status"]!).Should().Be("FAILED");
        run.Stderr.Should().Contain("FAILED");
    }
}
