using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Instances;
using Provisioner.Core.Lifecycle;

namespace Provisioner.Core.Jobs;

/// <summary>One kind of instance work: what the jobs dashboard calls it (<c>{0}</c> is the instance id) and the step that does it.</summary>
public sealed record WorkKindRegistration(InstanceWorkKind Kind, string Title, Type Step);

/// <summary>
/// Every kind of instance work, registered once: a new kind is a value of <see cref="InstanceWorkKind"/>, a row here
/// and its <see cref="IInstanceStep"/>. The runner, the job engine's one entry point and the dashboard's names all
/// read this table; when the work falls due and which states call for it is the lifecycle's (<see cref="InstanceLifecycle"/>).
/// </summary>
public static class InstanceWorkKinds
{
    private static readonly WorkKindRegistration[] All =
    [
        new(InstanceWorkKind.Create, "Launch instance {0}", typeof(LaunchInstance)),
        new(InstanceWorkKind.AwaitReady, "Await readiness of instance {0}", typeof(AwaitInstanceReady)),
        new(InstanceWorkKind.Terminate, "Terminate instance {0}", typeof(TerminateInstance)),
        new(InstanceWorkKind.AutoTerminate, "Auto-terminate instance {0} at its deadline", typeof(TerminateInstance)),
        new(InstanceWorkKind.IdleCheck, "Check instance {0} for idleness", typeof(CheckInstanceIdle)),
        new(InstanceWorkKind.Relaunch, "Relaunch interrupted instance {0}", typeof(RelaunchInstance)),
        new(InstanceWorkKind.ReleaseMachines, "Release the interrupted machines of instance {0}", typeof(ReleaseEarlierMachines)),
    ];

    /// <summary>Every kind, as registered.</summary>
    public static IReadOnlyList<WorkKindRegistration> Registered => All;

    public static WorkKindRegistration Of(InstanceWorkKind kind) =>
        Array.Find(All, k => k.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "No step is registered for this kind of work.");

    /// <summary>Registers each kind's step (once, however many kinds it serves).</summary>
    public static IServiceCollection AddInstanceSteps(this IServiceCollection services)
    {
        foreach (var step in All.Select(k => k.Step).Distinct())
        {
            services.AddTransient(step);
        }

        return services;
    }
}
