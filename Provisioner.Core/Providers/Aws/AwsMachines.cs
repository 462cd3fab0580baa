using Amazon.EC2.Model;

namespace Provisioner.Core.Providers.Aws;

/// <summary>An EC2 instance as the port's <see cref="CloudMachine"/>.</summary>
internal static class AwsMachines
{
    public static CloudMachine ToMachine(Instance instance, string region, bool statusChecksPassed)
    {
        var tags = (instance.Tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value ?? string.Empty, StringComparer.Ordinal);
        // Only the low byte of the state code carries meaning.
        var code = (instance.State?.Code ?? 0) & 0xFF;
        // A machine EC2 ended for its own reasons (no capacity after all, a spot reclaim) has failed; one we or its
        // dead-man switch ended has not.
        var failure = code is 32 or 48 ? AwsErrorClassifier.ClassifyStateReason(instance.StateReason?.Code, instance.StateReason?.Message) : null;
        var state = code switch
        {
            _ when failure is not null => CloudMachineState.Failed,
            0 => CloudMachineState.Pending,
            16 => statusChecksPassed ? CloudMachineState.Running : CloudMachineState.Initializing,
            32 or 64 or 80 => CloudMachineState.ShuttingDown,
            48 => CloudMachineState.Terminated,
            _ => CloudMachineState.Pending,
        };
        return new CloudMachine(
            instance.InstanceId ?? throw new FormatException("EC2 instance without an id"),
            state,
            instance.InstanceType?.Value ?? string.Empty,
            region,
            string.IsNullOrEmpty(instance.PublicIpAddress) ? null : instance.PublicIpAddress,
            string.IsNullOrEmpty(instance.PrivateIpAddress) ? null : instance.PrivateIpAddress,
            instance.LaunchTime is { } launched ? new DateTimeOffset(DateTime.SpecifyKind(launched.ToUniversalTime(), DateTimeKind.Utc)) : default,
            OwnershipTags.ReadInstanceId(tags),
            failure,
            Metadata: MachineMetadata.Of(
                ("region", region),
                ("availabilityZone", instance.Placement?.AvailabilityZone),
                ("instanceType", instance.InstanceType?.Value),
                ("imageId", instance.ImageId),
                ("subnetId", instance.SubnetId),
                ("vpcId", instance.VpcId),
                ("lifecycle", instance.InstanceLifecycle?.Value ?? "on-demand")));
    }
}
