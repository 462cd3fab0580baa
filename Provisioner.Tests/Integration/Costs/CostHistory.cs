using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Billing;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Costs;

/// <summary>Instances with a past, written as the workers would have recorded them, for the cost tests.</summary>
public static class CostHistory
{
    private static readonly BillingRules Rules = BillingRules.LoadEmbedded();

    /// <summary>A launched instance; with <paramref name="stopAt"/> it was stopped then (accepted at once) and gone a little later.</summary>
    public static Instance Launched(
        string owner, CloudProviderName provider, string instanceType, decimal price, DateTimeOffset launchedAt, DateTimeOffset? stopAt,
        string userId = "user-1", string region = "region-1", TimeSpan? shutdown = null)
    {
        var spec = new InstanceSpec(userId, null, null, provider, instanceType, region, 50, 120, new Dictionary<string, string>());
        var instance = Instance.Create(Guid.CreateVersion7(launchedAt), owner, spec, price, Rules.For(provider), launchedAt.AddSeconds(-3));
        instance.MarkLaunchRequested(provider.ToString().ToUpperInvariant(), launchedAt.AddSeconds(-2));
        instance.RecordLaunch("m-" + instance.Id.ToString("N"), launchedAt, launchedAt);
        if (stopAt is { } stop)
        {
            instance.RequestStop("client", stop);
            instance.RecordStopAccepted(stop, stop);
            instance.MarkTerminated("gone", stop + (shutdown ?? TimeSpan.FromSeconds(40)));
        }

        return instance;
    }

    public static async Task SaveAsync(LifecycleHarness harness, IEnumerable<Instance> instances)
    {
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        db.Instances.AddRange(instances);
        await db.SaveChangesAsync();
    }

    /// <summary>The buckets as stored, by key.</summary>
    public static async Task<Dictionary<(CostGranularity, DateTimeOffset, string, CloudProviderName, string, string), decimal>> BucketsAsync(LifecycleHarness harness, string owner)
    {
        await using var db = harness.Get<IDbContextFactory<ProvisionerDbContext>>().CreateDbContext();
        return await db.CostBuckets.AsNoTracking().Where(b => b.Owner == owner)
            .ToDictionaryAsync(b => (b.Granularity, b.BucketStart, b.UserId, b.Provider, b.InstanceType, b.Region), b => b.Cost);
    }
}
