using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.ApiBudgets;

namespace Provisioner.Worker.Resilience;

/// <summary>The budget a call draws on (account, region, action and its limit), and the draw itself, shared through PostgreSQL.</summary>
internal sealed class CloudApiBudgets(NpgsqlDataSource dataSource, IOptionsMonitor<CloudApiBudgetOptions> options, TimeProvider clock)
{
    public readonly record struct Budget(string Account, string Region, string Action, ApiLimit Limit);

    /// <summary>The budget of <paramref name="operation"/> on <paramref name="backend"/> in <paramref name="region"/>; null when it has none.</summary>
    public Budget? For(string backend, string region, string operation)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return null;
        }

        var action = CloudApiActions.For(backend, operation);
        var own = settings.Providers.GetValueOrDefault(backend);
        var limit = own?.Actions.GetValueOrDefault(action) ?? CloudApiActions.DefaultLimits(backend, action);
        return limit is null ? null : new Budget(own?.Account ?? backend, region, action, limit);
    }

    public Task<ApiBucketAnswer> TakeAsync(Budget budget, TimeSpan maxWait, CancellationToken cancellationToken) =>
        SharedTokenBucket.TakeAsync(dataSource, CloudApiBucket.Table, budget.Account, budget.Region, budget.Action, budget.Limit,
            clock, maxWait, options.CurrentValue.CloudRefillLag, cancellationToken);

    public Task CloudRefusedAsync(Budget budget, CancellationToken cancellationToken) =>
        SharedTokenBucket.CloudRefusedAsync(dataSource, CloudApiBucket.Table, budget.Account, budget.Region, budget.Action, budget.Limit, clock,
            cancellationToken);
}
