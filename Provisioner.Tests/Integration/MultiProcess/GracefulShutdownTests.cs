using System.Diagnostics;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>A stack whose cloud answers slowly, so a job is surely in flight when the worker is told to stop.</summary>
public sealed class SlowCloudStack : ProvisionerStack
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Providers__Simulated__Latency"] = "00:00:03",
    };
}

/// <summary>SIGTERM lets running jobs finish before the worker exits.</summary>
public sealed class GracefulShutdownTests(SlowCloudStack stack) : IClassFixture<SlowCloudStack>
{
    [Fact]
    public async Task Sigterm_DuringALaunch_FinishesTheJobThenExitsCleanly()
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        var deadline = Stopwatch.StartNew();
        while (await stack.Database.ScalarAsync<bool>("SELECT launch_requested_at IS NULL FROM provisioner.instances WHERE id = $1", id))
        {
            deadline.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the worker picks the launch up");
            await Task.Delay(20);
        }

        var worker = stack.Workers[0];
        var stopping = Stopwatch.StartNew();
        await worker.StopAsync(TimeSpan.FromSeconds(15));

        worker.ExitCode.Should().Be(0);
        stopping.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1), "the worker waited for the cloud call in flight");
        var cloudId = await stack.Database.ScalarAsync<object>("SELECT cloud_instance_id FROM provisioner.instances WHERE id = $1", id);
        cloudId.Should().BeOfType<string>("the launch ran to the end and was recorded before the process exited\n{0}", stack.Logs());
    }
}
