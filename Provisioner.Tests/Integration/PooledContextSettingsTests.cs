using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Persistence;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// A context from the pooled factory saves without savepoints, also after an earlier lease changed that setting: the
/// context sets it in its constructor, and the pool puts a reused context back to it.
/// </summary>
public sealed class PooledContextSettingsTests
{
    [Fact]
    public async Task PooledContext_SavesWithoutSavepoints_EvenAfterALeaseTurnedThemOn()
    {
        await using var harness = await LifecycleHarness.CreateAsync("pooled-context");
        var factory = harness.Get<IDbContextFactory<ProvisionerDbContext>>();

        await using (var first = await factory.CreateDbContextAsync())
        {
            first.Database.AutoSavepointsEnabled.Should().BeFalse();
            first.Database.AutoSavepointsEnabled = true;
        }

        await using var reused = await factory.CreateDbContextAsync();
        reused.Database.AutoSavepointsEnabled.Should().BeFalse("the pool resets a returned context to its constructor's settings");
    }
}
