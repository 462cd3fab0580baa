using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Azure;

namespace Provisioner.Tests.Unit.Core.Providers.Azure;

public sealed class AzureMachinesTests
{
    [Theory]
    [InlineData("Creating", null, CloudMachineState.Pending)]
    [InlineData("Creating", "starting", CloudMachineState.Pending)]
    [InlineData("Creating", "running", CloudMachineState.Initializing)]
    [InlineData("Succeeded", "starting", CloudMachineState.Initializing)]
    [InlineData("Succeeded", "running", CloudMachineState.Running)]
    [InlineData("Updating", "running", CloudMachineState.Running)]
    [InlineData("Deleting", "running", CloudMachineState.ShuttingDown)]
    [InlineData("Succeeded", "stopped", CloudMachineState.ShuttingDown)]
    [InlineData("Succeeded", "deallocated", CloudMachineState.ShuttingDown)]
    public void StateOf_ProvisioningAndPowerState_MapOntoThePortsStates(string provisioning, string? power, CloudMachineState expected) =>
        AzureMachines.StateOf(provisioning, power, failed: false).Should().Be(expected);

    [Fact]
    public void StateOf_AFailedProvisioning_IsFailedWhateverThePowerState() =>
        AzureMachines.StateOf("Failed", "running", failed: true).Should().Be(CloudMachineState.Failed);
}
