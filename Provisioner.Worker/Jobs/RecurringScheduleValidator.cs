using Microsoft.Extensions.Options;
using Provisioner.Core.Lifecycle;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// The recurring jobs' periods must be expressible as cron; checked when the worker starts, with the other
/// settings, rather than when the recurring jobs are declared in the background after the start.
/// </summary>
internal sealed class RecurringScheduleValidator : IValidateOptions<LifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleOptions options)
    {
        var failures = new List<string>();
        foreach (var (period, setting) in new[] { (options.SweepInterval, "Lifecycle:SweepInterval"), (options.ReconcileInterval, "Lifecycle:ReconcileInterval") })
        {
            try
            {
                RecurringSchedule.ToCron(period, setting);
            }
            catch (InvalidOperationException error)
            {
                failures.Add(error.Message);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
