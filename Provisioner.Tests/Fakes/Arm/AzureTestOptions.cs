using Provisioner.Core.Providers.Azure;

namespace Provisioner.Tests.Fakes.Arm;

/// <summary>The adapter's settings for the local ARM: its subscription, resource group, subnets and key.</summary>
public static class AzureTestOptions
{
    public const string Image = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest";

    public static AzureOptions For(LocalArm arm, int pageSize = 100) => new()
    {
        Enabled = true,
        SubscriptionId = LocalArm.SubscriptionId,
        ResourceGroup = LocalArm.ResourceGroup,
        Endpoint = arm.Endpoint,
        Subnets = new Dictionary<string, string> { ["eastus"] = LocalArm.SubnetId("eastus"), ["westus2"] = LocalArm.SubnetId("westus2") },
        DefaultImage = Image,
        SshPublicKey = LocalArm.SshPublicKey,
        ListPageSize = pageSize,
    };
}
