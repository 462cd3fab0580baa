using Microsoft.Extensions.Options;
using Provisioner.Core.Billing;
using Provisioner.Core.Catalog.Check;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Retention;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// The recurring jobs' periods must be expressible as cron; checked when the worker starts, with the other
/// settings, rather than when the recurring jobs are declared in the background after the start.
/// </summary>
internal sealed class RecurringScheduleValidator : IValidateOptions<LifecycleOptions>, IValidateOptions<CostRollupOptions>, IValidateOptions<CatalogCheckOptions>, IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleOptions options) =>
        Check((options.SweepInterval, "Lifecycle:SweepInterval"), (options.ReconcileInterval, "Lifecycle:ReconcileInterval"),
            (options.WatchInterval, "Lifecycle:WatchInterval"));

    public ValidateOptionsResult Validate(string? name, CostRollupOptions options) =>
        Check((options.RollupInterval, "Costs:RollupInterval"));

    public ValidateOptionsResult Validate(string? name, CatalogCheckOptions options) =>
        Check((options.CheckInterval, "Catalog:CheckInterval"));

    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        Check((options.Interval, "Retention:Interval"));

    private static ValidateOptionsResult Check(params (TimeSpan Period, string Setting)[] periods)
    {
        var failures = new List<string>();
        foreach (var (period, setting) in periods)
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
