using Azure;
using Azure.Core;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Options;
using Provisioner.Core.Hosting;

namespace Provisioner.Core.Providers.Azure;

/// <summary>
/// Azure virtual machines behind the cloud port, on Azure.ResourceManager.Compute. One VM per instance, named from the
/// instance id (the name is the idempotency key: a retried create reads the VM first and never PUTs another spec over
/// it), with our ownership tags, an OS disk of the requested size, and a NIC and public IP made inline; all three are
/// deleted with the VM. Long-running operations are only started (<see cref="WaitUntil.Started"/>): no worker thread
/// waits for Azure, the next step reads the VM again.
/// </summary>
internal sealed class AzureCloudProvider(
    ArmClientFactory arm,
    IOptions<AzureOptions> options,
    IOptions<ProvisionerOptions> provisioner,
    TimeProvider clock) : ICloudProvider
{
    private const string VirtualMachineType = "Microsoft.Compute/virtualMachines";

    private readonly Lazy<ProviderCapabilities> _capabilities = new(() => AzureProviderServices.CapabilitiesFor(options.Value));

    public string Name => AzureErrorClassifier.Backend;

    public ProviderCapabilities Capabilities => _capabilities.Value;

    private AzureOptions Settings => options.Value;

    private ResourceGroupResource ResourceGroup =>
        arm.Client.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(Settings.SubscriptionId, Settings.ResourceGroup));

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        var wanted = AzureVirtualMachines.Build(spec, Settings, provisioner.Value.ClusterName);
        var name = AzureVirtualMachines.NameOf(spec);

        // ARM's PUT is create-or-update: read first, so a retry returns the VM and a different spec is refused, never applied.
        if (await ReadAsync(name, cancellationToken) is { } found)
        {
            return AzureVirtualMachines.Matches(found, wanted)
                ? AzureMachines.ToMachine(found)
                : throw new CloudProviderException(CloudErrorKind.InvalidRequest, Name, "IdempotentParameterMismatch",
                    $"Virtual machine '{name}' already exists with another spec than this launch asks for.");
        }

        // Accepted (201): the VM is Creating. Its later states are read by DescribeAsync, not waited for here.
        await CallAsync(token => ResourceGroup.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Started, name, wanted, token), cancellationToken);
        return new CloudMachine(name, CloudMachineState.Pending, spec.InstanceType, spec.Region, null, null, clock.GetUtcNow(), spec.InstanceId);
    }

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) =>
        await ReadAsync(cloudInstanceId, cancellationToken) is { } vm ? await WithAddressesAsync(vm, cancellationToken) : null;

    public async Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken)
    {
        // The first offer's VM is named from the instance id; one launched after a capacity failover has its own name
        // (LaunchTokens.For(id, attempt)), found by our instance tag.
        var vm = await ReadAsync(LaunchTokens.For(instanceId), cancellationToken)
            ?? (await FindNameByInstanceTagAsync(instanceId, cancellationToken) is { } name ? await ReadAsync(name, cancellationToken) : null);
        // The name is ours by construction, but another deployment sharing the resource group could hold it.
        return vm is not null && vm.Tags.TryGetValue(OwnershipTags.Cluster, out var cluster) && cluster == provisioner.Value.ClusterName
            ? await WithAddressesAsync(vm, cancellationToken)
            : null;
    }

    public async Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        var id = VirtualMachineResource.CreateResourceIdentifier(Settings.SubscriptionId, Settings.ResourceGroup, cloudInstanceId);
        try
        {
            // Deletes the NIC, public IP and OS disk too (their deleteOption is Delete); Started: DescribeAsync sees it go.
            await CallAsync(token => arm.Client.GetVirtualMachineResource(id).DeleteAsync(WaitUntil.Started, cancellationToken: token), cancellationToken);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            // Gone already, which is what was asked.
        }
    }

    /// <summary>
    /// ARM's subscription-wide VM list with <c>statusOnly=true</c> (VirtualMachines_ListAll): every VM's instance view in one
    /// paged list, where the resource group's list takes <c>$expand=instanceView</c> only with a scale-set filter and neither
    /// filters by tag. VMs of other resource groups, and names not asked for, are skipped; the list stops once every name is
    /// found. Needs <c>Microsoft.Compute/virtualMachines/read</c> at the subscription's scope.
    /// </summary>
    public async Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken)
    {
        if (cloudInstanceIds.Count == 0)
        {
            return [];
        }

        var subscription = arm.Client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(Settings.SubscriptionId));
        return await CallAsync(async token =>
        {
            var wanted = cloudInstanceIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var states = new List<CloudMachineStatus>(wanted.Count);
            await foreach (var vm in subscription.GetVirtualMachinesAsync(statusOnly: "true", cancellationToken: token))
            {
                if (string.Equals(vm.Data.Id?.ResourceGroupName, Settings.ResourceGroup, StringComparison.OrdinalIgnoreCase) && wanted.Remove(vm.Data.Name))
                {
                    states.Add(CloudMachineStatus.Of(AzureMachines.ToMachine(vm.Data)));
                    if (wanted.Count == 0)
                    {
                        break;
                    }
                }
            }

            return states;
        }, cancellationToken);
    }

    public async Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken)
    {
        // The Resources API filters by tag (the VM list cannot) and pages with $top and nextLink; with a tag filter it
        // returns no tags or states, so each VM of the page is then read. The page token is ARM's nextLink.
        var filter = $"tagName eq '{OwnershipTags.Cluster}' and tagValue eq '{provisioner.Value.ClusterName.Replace("'", "''", StringComparison.Ordinal)}'";
        var (ids, next) = await CallAsync(async token =>
        {
            var pages = ResourceGroup.GetGenericResourcesAsync(filter, top: Settings.ListPageSize, cancellationToken: token)
                .AsPages(pageToken, Settings.ListPageSize);
            await foreach (var page in pages)
            {
                return (page.Values.Where(r => r.Data.ResourceType == new ResourceType(VirtualMachineType)).Select(r => r.Data.Name).ToList(),
                    string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return ([], null);
        }, cancellationToken);

        var machines = new List<CloudMachine>(ids.Count);
        foreach (var name in ids)
        {
            // A VM deleted between the listing and its read is simply not listed.
            if (await ReadAsync(name, cancellationToken) is { } vm)
            {
                machines.Add(AzureMachines.ToMachine(vm));
            }
        }

        return new CloudMachinePage(machines, next);
    }

    private async Task<string?> FindNameByInstanceTagAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var filter = $"tagName eq '{OwnershipTags.InstanceId}' and tagValue eq '{instanceId}'";
        return await CallAsync(async token =>
        {
            await foreach (var resource in ResourceGroup.GetGenericResourcesAsync(filter, cancellationToken: token))
            {
                if (resource.Data.ResourceType == new ResourceType(VirtualMachineType))
                {
                    return resource.Data.Name;
                }
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>The VM with its instance view (one call: <c>$expand=instanceView</c>), or null when ARM has none by that name.</summary>
    private async Task<VirtualMachineData?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var vm = await CallAsync(token => ResourceGroup.GetVirtualMachines().GetAsync(name, InstanceViewType.InstanceView, token), cancellationToken);
            return vm.Value.Data;
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// ARM's resource SKUs per region (<c>Microsoft.Compute/skus</c>, filtered by location), virtual machine sizes only,
    /// less those restricted for this subscription there. A size counts when its SKU family (<c>standardNCADSA100v4Family</c>)
    /// is the family of a size the catalog names, so the catalog's own SKUs tell which families it covers. Needs read on
    /// the subscription's SKUs (<c>Microsoft.Compute/skus/read</c>).
    /// </summary>
    public async Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken)
    {
        var subscription = arm.Client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(Settings.SubscriptionId));
        var catalog = instanceTypes.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sold = new List<CloudSoldType>();
        foreach (var region in regions)
        {
            var skus = await CallAsync(async token =>
            {
                var all = new List<ComputeResourceSku>();
                await foreach (var sku in subscription.GetComputeResourceSkusAsync($"location eq '{region}'", cancellationToken: token))
                {
                    all.Add(sku);
                }

                return all;
            }, cancellationToken);
            var sizes = skus
                .Where(sku => sku.ResourceType == "virtualMachines" && sku.Name is not null
                    && !(sku.Restrictions ?? []).Any(r => r.RestrictionsType == ComputeResourceSkuRestrictionsType.Location))
                .ToList();
            var families = sizes.Where(sku => catalog.Contains(sku.Name)).Select(sku => sku.Family).ToHashSet(StringComparer.OrdinalIgnoreCase);
            sold.AddRange(sizes.Where(sku => families.Contains(sku.Family)).Select(sku => new CloudSoldType(region, sku.Name)));
        }

        return sold;
    }

    private async Task<CloudMachine> WithAddressesAsync(VirtualMachineData vm, CancellationToken cancellationToken)
    {
        var machine = AzureMachines.ToMachine(vm);
        if (!AzureMachines.HasAddresses(machine))
        {
            return machine;
        }

        var (publicIp, privateIp) = await CallAsync(token => AzureAddresses.ReadAsync(arm.Client, vm, token), cancellationToken);
        return machine with { PublicIp = publicIp, PrivateIp = privateIp };
    }

    private static Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AzureErrorClassifier.GuardAsync(call, AzureErrorClassifier.Classify, cancellationToken);
}
