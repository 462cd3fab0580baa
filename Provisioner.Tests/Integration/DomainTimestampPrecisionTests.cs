using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Billing;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// The domain's own timestamps are taken to the microsecond, so an instance held in memory equals the one read back
/// from PostgreSQL, not only their JSON.
/// </summary>
public sealed class DomainTimestampPrecisionTests
{
    [Fact]
    public void CoreServices_TheClock_ReadsWholeMicroseconds()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Provisioner"] = "Host=127.0.0.1;Database=unused",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddProvisionerCore(configuration).BuildServiceProvider();

        var sut = services.GetRequiredService<TimeProvider>();

        sut.Should().BeOfType<MicrosecondClock>();
        Enumerable.Range(0, 50).Select(_ => sut.GetUtcNow().UtcTicks % TimeSpan.TicksPerMicrosecond).Should().OnlyContain(rest => rest == 0);
    }

    [Fact]
    public async Task Instance_CreatedAndMovedOnTheClock_EqualsWhatIsReadBack()
    {
        await using var database = await TestDatabase.CreateMigratedAsync("domain-timestamps");
        var sut = new MicrosecondClock(TimeProvider.System);
        var spec = new InstanceSpec("user-1", null, null, CloudProviderName.Aws, "p3.2xlarge", "us-east-1", 50, 120, new Dictionary<string, string>());
        var instance = Instance.Create(Guid.CreateVersion7(), "tenant-a", spec, 3.06m, BillingRules.LoadEmbedded().For(CloudProviderName.Aws), sut.GetUtcNow());
        instance.MarkLaunchRequested("AWS", sut.GetUtcNow());
        await using (var db = database.CreateDbContextFactory().CreateDbContext())
        {
            db.Instances.Add(instance);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateDbContextFactory().CreateDbContext();
        var stored = await read.Instances.AsNoTracking().Include(i => i.Events).SingleAsync(i => i.Id == instance.Id);

        stored.CreatedAt.Should().Be(instance.CreatedAt);
        stored.UpdatedAt.Should().Be(instance.UpdatedAt);
        stored.StatusChangedAt.Should().Be(instance.StatusChangedAt);
        stored.AutoTerminateAt.Should().Be(instance.AutoTerminateAt);
        stored.LaunchRequestedAt.Should().Be(instance.LaunchRequestedAt);
        stored.Events.Select(e => e.At).Should().Equal(instance.Events.Select(e => e.At));
    }
}
