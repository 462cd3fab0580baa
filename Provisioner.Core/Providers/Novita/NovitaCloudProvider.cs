using System.Globalization;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;

namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// NovitaAI GPU instances behind the cloud port, over Novita's v1 REST API. Novita has no client token and no tags, so
/// the instance's name carries our cluster and instance id (<see cref="NovitaNames"/>): a launch first finds by that
/// name and returns what it finds (or refuses a different spec), reconciliation lists by the cluster's name prefix.
/// Regions are Novita cluster ids; instance types are Novita product names, sold per GPU (<see cref="LaunchSpec.GpuCount"/>).
/// </summary>
internal sealed class NovitaCloudProvider(
    NovitaClient client,
    NovitaProductCache products,
    IOptions<NovitaOptions> options,
    IOptions<ProvisionerOptions> provisioner,
    TimeProvider clock) : ICloudProvider
{
    public string Name => NovitaErrorClassifier.Backend;

    public ProviderCapabilities Capabilities => NovitaProviderServices.Capabilities;

    private string Cluster => provisioner.Value.ClusterName;

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        var name = NovitaNames.For(Cluster, spec.InstanceId);
        var billingMode = spec.SpotMaxPrice is null ? NovitaBilling.OnDemand : NovitaBilling.Spot;
        if (await FindByNameAsync(name, cancellationToken) is { } found)
        {
            return Matches(found, spec, billingMode)
                ? NovitaMachines.ToMachine(found, Cluster, clock.GetUtcNow())
                : throw new CloudProviderException(CloudErrorKind.InvalidRequest, Name, "IdempotentParameterMismatch",
                    $"Instance '{name}' already exists with another spec than this launch asks for.");
        }

        var product = await ProductForAsync(spec, cancellationToken);
        decimal? spotPrice = null;
        if (spec.SpotMaxPrice is { } ceiling)
        {
            // Novita takes no price ceiling: the spot price is the product's, so a ceiling below it is refused here, before any cost.
            spotPrice = product.SpotPricePerGpuHour * spec.GpuCount;
            if (!product.OffersSpot || spotPrice > ceiling)
            {
                throw NovitaErrorClassifier.Classify("SPOT_PRICE_ABOVE_CEILING",
                    product.OffersSpot
                        ? $"The spot price of {product.Name} in {spec.Region} is {spotPrice?.ToString(CultureInfo.InvariantCulture)} USD/h, above the ceiling of {ceiling.ToString(CultureInfo.InvariantCulture)}."
                        : $"{product.Name} is not sold as spot in {spec.Region}.",
                    400);
            }
        }

        var (image, ports) = await ImageForAsync(spec, product, cancellationToken);
        var id = await client.CreateAsync(new NovitaCreateRequest(
            name, product.Id, spec.GpuCount, spec.DiskSizeGB, image, "gpu", billingMode, spec.Region, ports,
            [new NovitaEnv("PROVISIONER_INSTANCE_ID", spec.InstanceId.ToString()),
             new NovitaEnv("PROVISIONER_DEADLINE", spec.Deadline.ToString("O", CultureInfo.InvariantCulture))]), cancellationToken);
        return new CloudMachine(id, CloudMachineState.Pending, spec.InstanceType, spec.Region, null, null, clock.GetUtcNow(), spec.InstanceId,
            SpotPricePerHour: spotPrice);
    }

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) =>
        await client.GetAsync(cloudInstanceId, cancellationToken) is { } instance ? NovitaMachines.ToMachine(instance, Cluster, clock.GetUtcNow()) : null;

    public async Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken) =>
        await FindByNameAsync(NovitaNames.For(Cluster, instanceId), cancellationToken) is { } found
            ? NovitaMachines.ToMachine(found, Cluster, clock.GetUtcNow())
            : null;

    public async Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(cloudInstanceId, cancellationToken);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            // Gone already, which is what was asked.
        }
    }

    /// <summary>
    /// Novita's instance list by this cluster's name prefix, paged (<see cref="NovitaOptions.ListPageSize"/> a page), read
    /// until every machine asked for is found or the list ends: one list serves every machine, as Novita has no call for
    /// many ids. Novita lists all its clusters in one list; what is not asked for is skipped.
    /// </summary>
    public async Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken)
    {
        var wanted = cloudInstanceIds.ToHashSet(StringComparer.Ordinal);
        var states = new List<CloudMachineStatus>(wanted.Count);
        var pageSize = options.Value.ListPageSize;
        for (var pageNum = 1; wanted.Count > 0; pageNum++)
        {
            var page = await client.ListAsync(NovitaNames.PrefixOf(Cluster), pageNum, pageSize, cancellationToken);
            var instances = page.Instances ?? [];
            foreach (var instance in instances.Where(i => wanted.Remove(i.Id)))
            {
                states.Add(CloudMachineStatus.Of(NovitaMachines.ToMachine(instance, Cluster, clock.GetUtcNow())));
            }

            if (instances.Count < pageSize || page.Total is { } total && pageNum * pageSize >= total)
            {
                break;
            }
        }

        return states;
    }

    public async Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var pageNum = pageToken is null ? 1 : int.Parse(pageToken, CultureInfo.InvariantCulture);
        var pageSize = options.Value.ListPageSize;
        var page = await client.ListAsync(NovitaNames.PrefixOf(Cluster), pageNum, pageSize, cancellationToken);
        var instances = page.Instances ?? [];
        // Novita matches names fuzzily: only an exact name of this cluster is ours.
        var ours = instances
            .Where(i => NovitaNames.ReadInstanceId(Cluster, i.Name) is not null && !NovitaMachines.IsGone(i))
            .Select(i => NovitaMachines.ToMachine(i, Cluster, clock.GetUtcNow()))
            .ToList();
        var more = instances.Count == pageSize && (page.Total is not { } total || pageNum * pageSize < total);
        return new CloudMachinePage(ours, more ? (pageNum + 1).ToString(CultureInfo.InvariantCulture) : null);
    }

    /// <summary>
    /// Each cluster's products (regions are cluster ids), read fresh rather than from the launch cache: the check is
    /// rare and wants the cloud's word now. Only clusters the cloud lists are asked about (one it does not list answers
    /// no types: the cloud's answer to a product query for an unknown cluster is not documented). A product counts when
    /// its GPU (the first word with a digit: 4090, H100, L40S) is one the catalog sells; the product names are Novita's
    /// own spelling.
    /// </summary>
    public async Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken)
    {
        var families = instanceTypes.Select(CatalogNames.GpuFamilyOf).ToHashSet(StringComparer.Ordinal);
        var listed = (await client.ClustersAsync(cancellationToken)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var sold = new List<CloudSoldType>();
        foreach (var cluster in regions.Where(listed.Contains))
        {
            sold.AddRange((await client.ProductsAsync(cluster, cancellationToken))
                .Where(p => families.Contains(CatalogNames.GpuFamilyOf(p.Name)))
                .Select(p => new CloudSoldType(cluster, p.Name)));
        }

        return sold;
    }

    /// <summary>Novita's cluster list (<c>GET /clusters</c>): its clusters' ids, which are our regions.</summary>
    public async Task<IReadOnlyList<string>?> ListRegionsAsync(CancellationToken cancellationToken) =>
        [.. (await client.ClustersAsync(cancellationToken)).Select(c => c.Id).Distinct(StringComparer.Ordinal)];

    /// <summary>The live instance named <paramref name="name"/>, or null: the list is fuzzy, so the name is compared exactly.</summary>
    private async Task<NovitaInstance?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        var page = await client.ListAsync(name, 1, options.Value.ListPageSize, cancellationToken);
        return page.Instances?.FirstOrDefault(i => i.Name == name && !NovitaMachines.IsGone(i));
    }

    private static bool Matches(NovitaInstance found, LaunchSpec spec, string billingMode) =>
        CatalogNames.Same(found.ProductName, spec.InstanceType)
        && found.ClusterId == spec.Region
        && found.GpuNum == spec.GpuCount
        && found.RootfsSize == spec.DiskSizeGB
        && (found.BillingMode ?? NovitaBilling.OnDemand) == billingMode;

    /// <summary>
    /// The product named by the instance type in the cluster, as the cloud spells it (case and known aliases resolved:
    /// <see cref="CatalogNames"/>): unknown is invalid, known but out of stock is capacity.
    /// </summary>
    private async Task<NovitaProduct> ProductForAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        var product = CatalogNames.Resolve(spec.InstanceType, await products.InClusterAsync(spec.Region, cancellationToken), p => p.Name)
            ?? throw NovitaErrorClassifier.Classify("PRODUCT_NOT_FOUND", $"Novita sells no product '{spec.InstanceType}' in cluster {spec.Region}.", 400);
        return product.AvailableDeploy && product.InventoryState is not "none"
            ? product
            : throw NovitaErrorClassifier.Classify("NO_AVAILABLE_PRODUCT", $"{product.Name} has no stock in cluster {spec.Region} now.", 400);
    }

    private async Task<(string Image, string? Ports)> ImageForAsync(LaunchSpec spec, NovitaProduct product, CancellationToken cancellationToken)
    {
        if (spec.Template is { } templateId)
        {
            var template = await client.TemplateAsync(templateId, cancellationToken);
            return template?.ImageUrl is { Length: > 0 } image
                ? (image, template.Ports ?? options.Value.Ports)
                : throw NovitaErrorClassifier.Classify("TEMPLATE_NOT_FOUND", $"Novita has no template {templateId} with an image.", 400);
        }

        return options.Value.ImageFor(product.Name) is { } configured
            ? (configured, options.Value.Ports)
            : throw NovitaErrorClassifier.Classify("IMAGE_NOT_CONFIGURED", $"No image is configured for {product.Name} ({NovitaOptions.Section}:Images).", 400);
    }
}
