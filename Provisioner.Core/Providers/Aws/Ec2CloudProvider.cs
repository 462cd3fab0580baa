using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using static Provisioner.Core.Providers.Aws.Ec2QueryClient;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// AWS EC2 behind the cloud port. Every machine launches with a ClientToken from the instance id (a retry returns
/// the same machine), our ownership tags on the instance and its volume, a root volume of the requested size that
/// dies with it, and a dead-man switch: it powers itself off — and, with shutdown behaviour <c>terminate</c>, is
/// deleted — at its deadline plus a margin, even if this whole system is down.
/// </summary>
internal sealed class Ec2CloudProvider(
    Ec2QueryClient ec2,
    IOptions<AwsOptions> options,
    IOptions<ProvisionerOptions> provisioner,
    InstanceTypeCatalog catalog) : ICloudProvider
{
    private static readonly string[] LiveStates = ["pending", "running", "shutting-down", "stopping", "stopped"];

    public string Name => Ec2ErrorClassifier.Backend;

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var image = settings.ImageFor(spec.Region, spec.InstanceType)
            ?? throw new CloudProviderException(CloudErrorKind.InvalidRequest, Name, "NoImageConfigured",
                $"No machine image is configured for {spec.InstanceType} in {spec.Region}: set Providers:Aws:Images:{spec.Region} or Providers:Aws:DefaultImage.");

        var tags = OwnershipTags.Merge(spec, provisioner.Value.ClusterName);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("ImageId", image),
            new("InstanceType", spec.InstanceType),
            new("MinCount", "1"),
            new("MaxCount", "1"),
            new("ClientToken", spec.IdempotencyToken),
            new("InstanceInitiatedShutdownBehavior", "terminate"),
            new("UserData", Ec2DeadManSwitch.UserData(spec.Deadline + settings.DeadManMargin, spec.UserData)),
            new("BlockDeviceMapping.1.DeviceName", settings.RootDeviceName),
            new("BlockDeviceMapping.1.Ebs.VolumeSize", spec.DiskSizeGB.ToString(CultureInfo.InvariantCulture)),
            new("BlockDeviceMapping.1.Ebs.VolumeType", "gp3"),
            new("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "true"),
        };
        if (spec.SpotMaxPrice is { } maxPrice)
        {
            // One-time and terminate on interruption: a reclaimed spot machine is gone, never parked and billed.
            parameters.Add(new("InstanceMarketOptions.MarketType", "spot"));
            parameters.Add(new("InstanceMarketOptions.SpotOptions.MaxPrice", Money.Normalize(maxPrice).ToString(CultureInfo.InvariantCulture)));
            parameters.Add(new("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time"));
            parameters.Add(new("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate"));
        }

        if (settings.Subnets.TryGetValue(spec.Region, out var subnet))
        {
            parameters.Add(new("SubnetId", subnet));
        }

        foreach (var (group, n) in (settings.SecurityGroups.GetValueOrDefault(spec.Region) ?? []).Select((g, i) => (g, i + 1)))
        {
            parameters.Add(new($"SecurityGroupId.{n}", group));
        }

        foreach (var (resource, n) in new[] { "instance", "volume" }.Select((r, i) => (r, i + 1)))
        {
            parameters.Add(new($"TagSpecification.{n}.ResourceType", resource));
            foreach (var ((key, value), t) in tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select((t, i) => (t, i + 1)))
            {
                parameters.Add(new($"TagSpecification.{n}.Tag.{t}.Key", key));
                parameters.Add(new($"TagSpecification.{n}.Tag.{t}.Value", value));
            }
        }

        var answer = await ec2.CallAsync(spec.Region, "RunInstances", parameters, cancellationToken);
        var instance = answer.Element(Ns + "instancesSet")?.Element(Ns + "item")
            ?? throw new CloudProviderException(CloudErrorKind.Transient, Name, "EmptyReservation", "RunInstances answered without an instance.");
        return ToMachine(instance, spec.Region);
    }

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await ec2.CallAsync(region, "DescribeInstances", [new("InstanceId.1", cloudInstanceId)], cancellationToken);
            return Machines(answer, region).FirstOrDefault();
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken)
    {
        var answer = await ec2.CallAsync(region, "DescribeInstances",
        [
            new("Filter.1.Name", $"tag:{OwnershipTags.InstanceId}"), new("Filter.1.Value.1", instanceId.ToString()),
            new("Filter.2.Name", $"tag:{OwnershipTags.Cluster}"), new("Filter.2.Value.1", provisioner.Value.ClusterName),
        ], cancellationToken);
        var machines = Machines(answer, region).ToList();
        return machines.FirstOrDefault(m => m.State != CloudMachineState.Terminated) ?? machines.FirstOrDefault();
    }

    public async Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken) =>
        await ec2.CallAsync(region, "TerminateInstances", [new("InstanceId.1", cloudInstanceId)], cancellationToken);

    public async Task<IReadOnlyList<CloudMachine>> ListOwnedAsync(CancellationToken cancellationToken)
    {
        var regions = options.Value.Regions.Count > 0 ? options.Value.Regions : [.. catalog.RegionsOf(CloudProviderName.Aws)];
        var machines = new List<CloudMachine>();
        foreach (var region in regions)
        {
            string? next = null;
            do
            {
                // Filtered and paged: the unfiltered, unpaged form has a much smaller rate budget.
                var parameters = new List<KeyValuePair<string, string>>
                {
                    new("Filter.1.Name", $"tag:{OwnershipTags.Cluster}"), new("Filter.1.Value.1", provisioner.Value.ClusterName),
                    new("Filter.2.Name", "instance-state-name"),
                };
                parameters.AddRange(LiveStates.Select((s, i) => KeyValuePair.Create($"Filter.2.Value.{i + 1}", s)));
                parameters.Add(new("MaxResults", options.Value.ListPageSize.ToString(CultureInfo.InvariantCulture)));
                if (next is not null)
                {
                    parameters.Add(new("NextToken", next));
                }

                var answer = await ec2.CallAsync(region, "DescribeInstances", parameters, cancellationToken);
                machines.AddRange(Machines(answer, region));
                next = Text(answer, "nextToken");
            }
            while (next is not null);
        }

        return machines;
    }

    private static IEnumerable<CloudMachine> Machines(XElement answer, string region) =>
        answer.Element(Ns + "reservationSet")?.Elements(Ns + "item")
            .SelectMany(r => r.Element(Ns + "instancesSet")?.Elements(Ns + "item") ?? [])
            .Select(i => ToMachine(i, region)) ?? [];

    private static CloudMachine ToMachine(XElement instance, string region)
    {
        var tags = instance.Element(Ns + "tagSet")?.Elements(Ns + "item")
            .ToDictionary(t => Text(t, "key") ?? string.Empty, t => Text(t, "value") ?? string.Empty, StringComparer.Ordinal) ?? [];
        // Only the low byte of the state code carries meaning.
        var code = int.Parse(instance.Element(Ns + "instanceState")?.Element(Ns + "code")?.Value ?? "0", CultureInfo.InvariantCulture) & 0xFF;
        var state = code switch
        {
            0 => CloudMachineState.Pending,
            16 => CloudMachineState.Running,
            32 or 64 or 80 => CloudMachineState.ShuttingDown,
            48 => CloudMachineState.Terminated,
            _ => CloudMachineState.Pending,
        };
        return new CloudMachine(
            Text(instance, "instanceId") ?? throw new FormatException("EC2 instance without an id"),
            state,
            Text(instance, "instanceType") ?? string.Empty,
            region,
            Text(instance, "ipAddress"),
            Text(instance, "privateIpAddress"),
            Time(instance, "launchTime"),
            OwnershipTags.ReadInstanceId(tags));
    }
}
