using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Options;
using Provisioner.Core.Catalog;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Ec2InstanceStatus = Amazon.EC2.Model.InstanceStatus;
using Instance = Amazon.EC2.Model.Instance;

namespace Provisioner.Core.Providers.Aws;

/// <summary>
/// AWS EC2 behind the cloud port, on AWSSDK.EC2. Every machine launches with a ClientToken from the instance id (a
/// retry returns the same machine), our ownership tags on the instance and its volume, a gp3 root volume of the
/// requested size that dies with it, and a dead-man switch: it powers itself off — and, with shutdown behaviour
/// <c>terminate</c>, is deleted — at its deadline plus a margin, even if this whole system is down.
/// </summary>
internal sealed partial class AwsCloudProvider(
    AwsClientFactory clients,
    IOptions<AwsOptions> options,
    IOptions<ProvisionerOptions> provisioner,
    InstanceTypeCatalog catalog) : ICloudProvider
{
    private static readonly List<string> LiveStates = ["pending", "running", "shutting-down", "stopping", "stopped"];

    public string Name => AwsErrorClassifier.Backend;

    private readonly Lazy<ProviderCapabilities> _capabilities = new(() => AwsProviderServices.CapabilitiesFor(options.Value));

    public ProviderCapabilities Capabilities => _capabilities.Value;

    public async Task<CloudMachine> LaunchAsync(LaunchSpec spec, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var image = settings.ImageFor(spec.Region, spec.InstanceType)
            ?? throw new CloudProviderException(CloudErrorKind.InvalidRequest, Name, "NoImageConfigured",
                $"No machine image is configured for {spec.InstanceType} in {spec.Region}: set Providers:Aws:Images:{spec.Region} or Providers:Aws:DefaultImage.");

        var tags = OwnershipTags.Merge(spec, provisioner.Value.ClusterName)
            .OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new Tag(t.Key, t.Value)).ToList();
        var request = new RunInstancesRequest
        {
            ImageId = image,
            InstanceType = InstanceType.FindValue(spec.InstanceType),
            MinCount = 1,
            MaxCount = 1,
            ClientToken = spec.IdempotencyToken,
            InstanceInitiatedShutdownBehavior = ShutdownBehavior.Terminate,
            UserData = AwsDeadManSwitch.UserData(spec.Deadline + settings.DeadManMargin, spec.UserData),
            BlockDeviceMappings =
            [
                new BlockDeviceMapping
                {
                    DeviceName = settings.RootDeviceName,
                    Ebs = new EbsBlockDevice { VolumeSize = spec.DiskSizeGB, VolumeType = VolumeType.Gp3, DeleteOnTermination = true },
                },
            ],
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Instance, Tags = tags },
                new TagSpecification { ResourceType = ResourceType.Volume, Tags = tags },
            ],
        };
        if (spec.SpotMaxPrice is { } maxPrice)
        {
            // One-time and terminate on interruption: a reclaimed spot machine is gone, never parked and billed.
            request.InstanceMarketOptions = new InstanceMarketOptionsRequest
            {
                MarketType = MarketType.Spot,
                SpotOptions = new SpotMarketOptions
                {
                    MaxPrice = Money.Normalize(maxPrice).ToString(CultureInfo.InvariantCulture),
                    SpotInstanceType = SpotInstanceType.OneTime,
                    InstanceInterruptionBehavior = InstanceInterruptionBehavior.Terminate,
                },
            };
        }

        if (settings.Subnets.TryGetValue(spec.Region, out var subnet))
        {
            request.SubnetId = subnet;
        }

        if (settings.SecurityGroups.TryGetValue(spec.Region, out var groups) && groups.Count > 0)
        {
            request.SecurityGroupIds = [.. groups];
        }

        var answer = await CallAsync(spec.Region, (ec2, token) => ec2.RunInstancesAsync(request, token), cancellationToken);
        var instance = answer.Reservation?.Instances?.FirstOrDefault()
            ?? throw new CloudProviderException(CloudErrorKind.Transient, Name, "EmptyReservation", "RunInstances answered without an instance.");
        return AwsMachines.ToMachine(instance, spec.Region, statusChecksPassed: false);
    }

    public async Task<CloudMachine?> DescribeAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstancesAsync(
                new DescribeInstancesRequest { InstanceIds = [cloudInstanceId] }, token), cancellationToken);
            var machines = await WithStatusChecksAsync(region, Instances(answer), cancellationToken);
            return machines.Count > 0 ? machines[0] : null;
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<CloudMachine?> FindByInstanceAsync(string region, Guid instanceId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters =
            [
                new Filter($"tag:{OwnershipTags.InstanceId}", [instanceId.ToString()]),
                new Filter($"tag:{OwnershipTags.Cluster}", [provisioner.Value.ClusterName]),
            ],
        }, token), cancellationToken);
        var machines = await WithStatusChecksAsync(region, Instances(answer), cancellationToken);
        return machines.FirstOrDefault(m => m.State is not (CloudMachineState.Terminated or CloudMachineState.Failed)) ?? (machines.Count > 0 ? machines[0] : null);
    }

    public async Task TerminateAsync(string region, string cloudInstanceId, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(region, (ec2, token) => ec2.TerminateInstancesAsync(
                new TerminateInstancesRequest { InstanceIds = [cloudInstanceId] }, token), cancellationToken);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            // Unknown, or terminated so long ago that EC2 forgot it: gone either way, which is what was asked.
        }
    }

    /// <remarks>
    /// DescribeInstanceStatus with <c>IncludeAllInstances</c>, up to 100 ids a call (EC2 takes no <c>MaxResults</c> with ids, and
    /// its status call filters by no tag): state and both status checks in one answer. Machines it reports neither pending nor
    /// running (stopping, stopped, shutting down, terminated) are then described together, once, for EC2's reason and stop
    /// time. An id EC2 no longer knows fails its whole call (<c>InvalidInstanceID.NotFound</c> naming it): it is left out and
    /// the call repeated without it. Needs <c>ec2:DescribeInstanceStatus</c> and <c>ec2:DescribeInstances</c>.
    /// </remarks>
    public async Task<IReadOnlyList<CloudMachineStatus>> ReadStatesAsync(
        string region, IReadOnlyCollection<string> cloudInstanceIds, CancellationToken cancellationToken)
    {
        var states = new List<CloudMachineStatus>(cloudInstanceIds.Count);
        foreach (var chunk in cloudInstanceIds.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var stopped = new List<string>();
            foreach (var status in await StatusesAsync(region, [.. chunk], cancellationToken))
            {
                switch ((status.InstanceState?.Code ?? 0) & 0xFF)
                {
                    case 16:
                        states.Add(AwsMachines.ToStatus(status));
                        break;
                    case 0:
                        states.Add(new CloudMachineStatus(status.InstanceId, CloudMachineState.Pending));
                        break;
                    default:
                        stopped.Add(status.InstanceId);
                        break;
                }
            }

            if (stopped.Count > 0)
            {
                var answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstancesAsync(
                    new DescribeInstancesRequest { InstanceIds = stopped }, token), cancellationToken);
                states.AddRange(Instances(answer).Select(i => CloudMachineStatus.Of(AwsMachines.ToMachine(i, region, statusChecksPassed: false))));
            }
        }

        return states;
    }

    private async Task<List<Ec2InstanceStatus>> StatusesAsync(string region, List<string> ids, CancellationToken cancellationToken)
    {
        while (ids.Count > 0)
        {
            try
            {
                var answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstanceStatusAsync(
                    new DescribeInstanceStatusRequest { InstanceIds = [.. ids], IncludeAllInstances = true }, token), cancellationToken);
                return answer.InstanceStatuses ?? [];
            }
            catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
            {
                var unknown = InstanceIds().Matches(error.CloudMessage).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
                if (ids.RemoveAll(unknown.Contains) == 0)
                {
                    throw;
                }
            }
        }

        return [];
    }

    [GeneratedRegex(@"\bi-[0-9a-f]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceIds();

    /// <remarks>
    /// One region per call sequence: a region whose DescribeInstances fails answers an empty page naming it unread, and
    /// the listing moves on to the next region; a DescribeInstanceStatus that fails leaves that page's running machines
    /// Initializing (their checks unread) and the region unread, never ends the listing.
    /// </remarks>
    public async Task<CloudMachinePage> ListOwnedAsync(string? pageToken, CancellationToken cancellationToken)
    {
        var regions = Regions();
        var (region, ec2Token) = AwsPageToken.Parse(pageToken, regions[0]);
        var nextRegion = regions.IndexOf(region) is var at && at >= 0 && at + 1 < regions.Count ? AwsPageToken.Format(regions[at + 1], null) : null;
        DescribeInstancesResponse answer;
        try
        {
            answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstancesAsync(new DescribeInstancesRequest
            {
                // Filtered and paged: the unfiltered, unpaged form has a much smaller rate budget.
                Filters =
                [
                    new Filter($"tag:{OwnershipTags.Cluster}", [provisioner.Value.ClusterName]),
                    new Filter("instance-state-name", LiveStates),
                ],
                MaxResults = options.Value.ListPageSize,
                NextToken = ec2Token,
            }, token), cancellationToken);
        }
        catch (CloudProviderException error)
        {
            return new CloudMachinePage([], nextRegion, [new UnreadRegion(region, error)]);
        }

        IReadOnlyList<CloudMachine> machines;
        List<UnreadRegion>? unread = null;
        try
        {
            machines = await WithStatusChecksAsync(region, Instances(answer), cancellationToken);
        }
        catch (CloudProviderException error)
        {
            machines = [.. Instances(answer).Select(i => AwsMachines.ToMachine(i, region, statusChecksPassed: false))];
            unread = [new UnreadRegion(region, error)];
        }

        var next = answer.NextToken is { Length: > 0 } more ? AwsPageToken.Format(region, more) : nextRegion;
        return new CloudMachinePage(machines, next, unread);
    }

    /// <summary>
    /// DescribeInstanceTypeOfferings per region (location type <c>region</c>), filtered to the catalog's families by
    /// EC2's own wildcard (<c>g5.*</c>) and paged, so one call answers a region. Needs
    /// <c>ec2:DescribeInstanceTypeOfferings</c>.
    /// </summary>
    public async Task<IReadOnlyList<CloudSoldType>> ListSoldAsync(
        IReadOnlyCollection<string> regions, IReadOnlyCollection<string> instanceTypes, CancellationToken cancellationToken)
    {
        var families = instanceTypes.Select(t => t.Split('.', 2)[0] + ".*").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var sold = new List<CloudSoldType>();
        foreach (var region in regions)
        {
            string? next = null;
            do
            {
                var answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstanceTypeOfferingsAsync(new DescribeInstanceTypeOfferingsRequest
                {
                    LocationType = LocationType.Region,
                    Filters = [new Filter("instance-type", families)],
                    MaxResults = 1000,
                    NextToken = next,
                }, token), cancellationToken);
                sold.AddRange((answer.InstanceTypeOfferings ?? []).Select(o => new CloudSoldType(region, o.InstanceType.Value)));
                next = answer.NextToken is { Length: > 0 } more ? more : null;
            }
            while (next is not null);
        }

        return sold;
    }

    private List<string> Regions() =>
        options.Value.Regions.Count > 0 ? options.Value.Regions : [.. catalog.RegionsOf(CloudProviderName.Aws)];

    private static IEnumerable<Instance> Instances(DescribeInstancesResponse answer) =>
        answer.Reservations?.SelectMany(r => r.Instances ?? []) ?? [];

    /// <summary>
    /// EC2's <c>running</c> only means booted: a machine is usable once its instance and system status checks pass,
    /// which only DescribeInstanceStatus tells, up to 100 machines a call.
    /// </summary>
    private async Task<IReadOnlyList<CloudMachine>> WithStatusChecksAsync(string region, IEnumerable<Instance> instances, CancellationToken cancellationToken)
    {
        var all = instances.ToList();
        var passed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in all.Where(i => i.State?.Name == InstanceStateName.Running).Select(i => i.InstanceId).Chunk(100))
        {
            var answer = await CallAsync(region, (ec2, token) => ec2.DescribeInstanceStatusAsync(
                new DescribeInstanceStatusRequest { InstanceIds = [.. chunk] }, token), cancellationToken);
            passed.UnionWith((answer.InstanceStatuses ?? [])
                .Where(s => s.Status?.Status == SummaryStatus.Ok && s.SystemStatus?.Status == SummaryStatus.Ok)
                .Select(s => s.InstanceId));
        }

        return [.. all.Select(i => AwsMachines.ToMachine(i, region, passed.Contains(i.InstanceId)))];
    }

    private Task<T> CallAsync<T>(string region, Func<IAmazonEC2, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AwsErrorClassifier.GuardAsync(token => call(clients.For(region), token), AwsErrorClassifier.Classify, cancellationToken);
}
