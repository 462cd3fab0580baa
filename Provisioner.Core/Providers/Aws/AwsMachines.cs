using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace Provisioner.Core.Providers.Aws;

/// <summary>An EC2 instance as the port's <see cref="CloudMachine"/>.</summary>
internal static partial class AwsMachines
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
                ("lifecycle", instance.InstanceLifecycle?.Value ?? "on-demand")),
            StoppedAt: code is 64 or 80 or 32 or 48 ? StoppedAtOf(instance.StateTransitionReason) : null);
    }

    /// <summary>
    /// A running machine as DescribeInstanceStatus reports it: usable once its instance and system checks are <c>ok</c>,
    /// impaired (still running, still billed) when either says <c>impaired</c>, in EC2's words with the earliest
    /// <c>impairedSince</c> of its failing details.
    /// </summary>
    public static CloudMachineStatus ToStatus(InstanceStatus status)
    {
        var id = status.InstanceId ?? throw new FormatException("EC2 instance status without an id");
        var checks = new[] { ("system", status.SystemStatus), ("instance", status.Status) };
        var impaired = checks.Where(c => c.Item2?.Status == SummaryStatus.Impaired).ToList();
        if (impaired.Count > 0)
        {
            var failing = impaired.SelectMany(c => (c.Item2.Details ?? []).Where(d => d.Status != StatusType.Passed)
                .Select(d => (Check: c.Item1, Detail: d))).ToList();
            var since = failing.Select(f => f.Detail.ImpairedSince).OfType<DateTime>()
                .Select(d => new DateTimeOffset(DateTime.SpecifyKind(d.ToUniversalTime(), DateTimeKind.Utc))).Order().Cast<DateTimeOffset?>().FirstOrDefault();
            var words = string.Join("; ", impaired.Select(c => $"{c.Item1} status impaired"
                + string.Concat(failing.Where(f => f.Check == c.Item1).Select(f => $" ({f.Detail.Name?.Value} {f.Detail.Status?.Value})"))));
            return new CloudMachineStatus(id, CloudMachineState.Running, Health: CloudMachineHealth.Impaired, HealthDetail: words, ImpairedSince: since);
        }

        return checks.All(c => c.Item2?.Status == SummaryStatus.Ok)
            ? new CloudMachineStatus(id, CloudMachineState.Running, Health: CloudMachineHealth.Ok)
            : new CloudMachineStatus(id, CloudMachineState.Initializing);
    }

    /// <summary>EC2's stop time is only in the free text of <c>StateTransitionReason</c>: <c>User initiated (2026-12-07 04:00:00 GMT)</c>.</summary>
    internal static DateTimeOffset? StoppedAtOf(string? stateTransitionReason) =>
        stateTransitionReason is not null && TransitionTime().Match(stateTransitionReason) is { Success: true } found
            && DateTimeOffset.TryParseExact(found.Groups[1].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    [GeneratedRegex(@"\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) GMT\)", RegexOptions.CultureInvariant)]
    private static partial Regex TransitionTime();
}
