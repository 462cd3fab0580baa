using Provisioner.Core.Providers;

namespace Provisioner.Tests.Contracts;

public abstract partial class CloudProviderContract
{
    [Fact]
    public async Task Describe_UnknownMachine_IsNull() =>
        (await Provider().DescribeAsync(Region, UnknownMachineId, CancellationToken.None)).Should().BeNull();

    [Fact]
    public async Task FindByInstance_FindsOurMachine_AndNotAnotherClusters()
    {
        var ours = Provider("blue");
        var spec = Spec();
        var launched = await ours.LaunchAsync(spec, CancellationToken.None);
        var foreignSpec = Spec();
        await Provider("green").LaunchAsync(foreignSpec, CancellationToken.None);

        (await ours.FindByInstanceAsync(Region, spec.InstanceId, CancellationToken.None))!.CloudInstanceId.Should().Be(launched.CloudInstanceId);
        (await ours.FindByInstanceAsync(Region, foreignSpec.InstanceId, CancellationToken.None)).Should().BeNull("another cluster's machine is not ours");
        (await ours.FindByInstanceAsync(Region, Guid.NewGuid(), CancellationToken.None)).Should().BeNull();
    }
}
