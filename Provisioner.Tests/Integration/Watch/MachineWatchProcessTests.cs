using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Watch;

/// <summary>The API and a real worker process, the machine watch at its default period (10 s).</summary>
public sealed class MachineWatchStack : ProvisionerStack;

/// <summary>
/// A machine stopped outside, reclaimed or gone, noticed by a real worker's recurring watch within the 30 s bound (measured
/// from the cloud's event to the instance's FAILED), billed until the cloud's stop time.
/// </summary>
public sealed class MachineWatchProcessTests(MachineWatchStack stack) : IClassFixture<MachineWatchStack>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("stop")]
    [InlineData("preempt")]
    [InlineData("hide")]
    public async Task OutsideEvent_IsNoticedWithinTheBound_AndTheInstanceEndsInterrupted(string outside)
    {
        using var post = await stack.Client.PostAsJsonAsync("/api/instances",
            InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser(), "SIMULATED", "sim.gpu.small", "sim-local-1"));
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        var (ready, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Ready, TimeSpan.FromSeconds(60));

        var control = new SimulatedCloudControl(stack.Database.DataSource);
        var at = TimeProvider.System.GetUtcNow();
        await (outside switch
        {
            "stop" => control.StopOutsideAsync(ready.CloudInstanceId!, at, CancellationToken.None),
            "preempt" => control.PreemptAsync(ready.CloudInstanceId!, at, CancellationToken.None),
            _ => control.HideAsync(ready.CloudInstanceId!, at, CancellationToken.None),
        });
        var noticed = Stopwatch.StartNew();

        var (failed, _) = await stack.WaitForStatusAsync(id, InstanceStatus.Failed, Bound + TimeSpan.FromSeconds(5));

        noticed.Elapsed.Should().BeLessThan(Bound, $"an outside {outside} is noticed within the bound\n{stack.Logs()}");
        failed.FailureReason.Should().StartWith("Interrupted: ");
        var interruptedAt = await stack.Database.ScalarAsync<DateTimeOffset?>("SELECT interrupted_at FROM provisioner.instances WHERE id = $1", id);
        if (outside == "hide")
        {
            interruptedAt.Should().BeAfter(at, "the cloud gave no stop time: billing ends when the watch noticed");
        }
        else
        {
            interruptedAt.Should().BeCloseTo(at, TimeSpan.FromMilliseconds(1), "billing ends at the cloud's stop time");
        }
    }
}
