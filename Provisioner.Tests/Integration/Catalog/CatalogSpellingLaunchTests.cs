using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Providers.Simulated;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Catalog;

/// <summary>
/// A cloud that sells a catalog type only under another spelling (here upper case) refuses the catalog's name, as EC2
/// refuses a type it does not offer; once the catalog check has read its list, launches ask for the cloud's name.
/// </summary>
public sealed class CatalogSpellingLaunchTests
{
    [Fact]
    public async Task Launch_CloudSpellsTheTypeDifferently_LaunchesUnderTheCloudsNameAndKeepsTheCatalogsOnTheInstance()
    {
        await using var harness = await LifecycleHarness.CreateAsync("catalog-spelling-launch");
        SellOnlyUpperCase(harness);
        await harness.Get<CatalogCheck>().RunAsync(CancellationToken.None);
        var instance = await harness.CreateAsync();

        await harness.LaunchAsync(instance.Id);

        var launched = await harness.ReloadAsync(instance.Id);
        launched.CloudInstanceId.Should().NotBeNull("the launch was not refused: {0}", launched.FailureReason);
        launched.InstanceType.Should().Be("sim.gpu.small", "the instance keeps the catalog's name (and price)");
        (await MachineTypeAsync(harness, instance.Id)).Should().Be("SIM.GPU.SMALL");
    }

    [Fact]
    public async Task Launch_CloudSpellsTheTypeDifferentlyAndNoCheckHasRun_IsRefusedByTheCloud()
    {
        await using var harness = await LifecycleHarness.CreateAsync("catalog-spelling-unchecked");
        SellOnlyUpperCase(harness);
        var instance = await harness.CreateAsync();

        await harness.LaunchAsync(instance.Id);

        (await harness.MachinesForAsync(instance.Id)).Should().Be(0, "the strict simulated cloud refuses a name it does not sell");
        (await harness.ReloadAsync(instance.Id)).CloudInstanceId.Should().BeNull();
    }

    private static void SellOnlyUpperCase(LifecycleHarness harness)
    {
        var cloud = harness.Get<IOptionsMonitor<SimulatedCloudOptions>>().CurrentValue;
        cloud.Unsold.Add("sim.gpu.small@sim-local-1");
        cloud.AlsoSold.Add("SIM.GPU.SMALL@sim-local-1");
    }

    private static Task<string?> MachineTypeAsync(LifecycleHarness harness, Guid id) => harness.Database.ScalarAsync<string?>(
        "SELECT instance_type FROM simulated_cloud.machines WHERE tags ->> 'provisioner:instance-id' = $1", id.ToString());
}
