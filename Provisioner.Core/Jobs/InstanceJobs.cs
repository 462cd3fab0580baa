using Quartz;

namespace Provisioner.Core.Jobs;

/// <summary>
/// The durable job definitions and the triggers that drive them. One durable job per kind of work; each
/// trigger carries the instance id, and its key (kind + instance) keeps at most one pending per instance and kind.
/// </summary>
public static class InstanceJobs
{
    public const string Group = "instances";

    public static readonly JobKey Create = new("create-instance", Group);
    public static readonly JobKey AwaitReady = new("await-instance-ready", Group);
    public static readonly JobKey Terminate = new("terminate-instance", Group);
    public static readonly JobKey IdleCheck = new("check-instance-idle", Group);

    /// <summary>Stored by the migrate step and by every worker at start, so triggers always find their job.</summary>
    public static IReadOnlyList<IJobDetail> Definitions() =>
    [
        Define<CreateInstanceJob>(Create, "Asks the cloud for an instance's machine."),
        Define<AwaitInstanceReadyJob>(AwaitReady, "Looks at a booting machine until it is ready."),
        Define<TerminateInstanceJob>(Terminate, "Stops an instance's machine and confirms it gone."),
        Define<CheckInstanceIdleJob>(IdleCheck, "Stops an instance whose heartbeats stopped."),
    ];

    public static JobKey JobFor(InstanceWorkKind kind) => kind switch
    {
        InstanceWorkKind.Create => Create,
        InstanceWorkKind.AwaitReady => AwaitReady,
        InstanceWorkKind.Terminate or InstanceWorkKind.AutoTerminate => Terminate,
        InstanceWorkKind.IdleCheck => IdleCheck,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static TriggerKey TriggerKeyFor(InstanceWorkKind kind, Guid instanceId) =>
        new($"{kind.ToString().ToLowerInvariant()}-{instanceId:N}", Group);

    public static ITrigger TriggerFor(InstanceWork work, RetryPolicy retryPolicy) =>
        TriggerBuilder.Create()
            .WithIdentity(TriggerKeyFor(work.Kind, work.InstanceId))
            .ForJob(JobFor(work.Kind))
            .UsingJobData(InstanceJobData.InstanceId, work.InstanceId.ToString())
            .UsingJobData(InstanceJobData.Kind, work.Kind.ToString())
            .StartAt(work.RunAt)
            // A trigger that is late because every worker was down runs as soon as one is back.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .WithRetryPolicy(retryPolicy)
            .Build();

    private static IJobDetail Define<TJob>(JobKey key, string description)
        where TJob : IJob =>
        JobBuilder.Create<TJob>()
            .WithIdentity(key)
            .WithDescription(description)
            .StoreDurably()
            // A worker killed mid-job: the cluster re-runs the job elsewhere. Every job is safe to run twice.
            .RequestRecovery()
            .Build();
}
