using Provisioner.Core.Instances;

namespace Provisioner.Tests.Support;

/// <summary>
/// SQL conditions on the job store's <c>hangfire.job</c> rows for instance work: every kind is one job method
/// (<c>IInstanceJobs.Run</c>) whose first argument names the kind and the instance.
/// </summary>
public static class JobStore
{
    public static string OfKind(InstanceWorkKind kind) =>
        $"invocationdata ->> 'Method' = 'Run' AND (arguments ->> 0)::jsonb ->> 'Kind' = '{kind}'";

    /// <param name="parameter">The placeholder of a text parameter holding the instance id, e.g. <c>$1</c>.</param>
    public static string ForInstance(string parameter) => $"(arguments ->> 0)::jsonb ->> 'InstanceId' = {parameter}";
}
