using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>What a trigger carries: the instance, and which kind of work it stands for.</summary>
internal static class InstanceJobData
{
    public const string InstanceId = "instanceId";
    public const string Kind = "kind";

    public static Guid ReadInstanceId(IJobExecutionContext context) =>
        Guid.TryParse(context.MergedJobDataMap.GetString(InstanceId), out var id)
            ? id
            : throw new JobExecutionException($"Trigger {context.Trigger.Key} carries no valid '{InstanceId}'.");

    public static InstanceWorkKind ReadKind(IJobExecutionContext context) =>
        Enum.TryParse<InstanceWorkKind>(context.MergedJobDataMap.GetString(Kind), out var kind)
            ? kind
            : throw new JobExecutionException($"Trigger {context.Trigger.Key} carries no valid '{Kind}'.");

    /// <summary>Whether a failing job has no retries left, so it must settle the instance itself.</summary>
    public static bool IsFinalAttempt(IJobExecutionContext context) =>
        context.RetryPolicy is not { } policy || context.RetryAttempt >= policy.MaxAttempts;
}
