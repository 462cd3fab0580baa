using Microsoft.Extensions.Configuration;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Unit.Worker.Jobs;

/// <summary>The pool for a worker's session state: sized for its few long-lived users, named for the node, and always reset.</summary>
public sealed class SessionConnectionsSettingsTests
{
    private static IConfiguration Settings(string connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Provisioner"] = connectionString }).Build();

    [Fact]
    public void Settings_KeepTheReset_EvenWhenTheStringSkipsIt()
    {
        var sut = SessionConnections.Settings(Settings("Host=db;Username=app;No Reset On Close=true"), new JobsOptions(), "node-a");

        sut.NoResetOnClose.Should().BeFalse();
        sut.Host.Should().Be("db", "the rest of the operator's string is kept");
    }

    [Fact]
    public void Settings_SizeThePool_ForTheListensThePassesAndEachMaintenanceThread()
    {
        var small = SessionConnections.Settings(Settings("Host=db"), new JobsOptions { MaintenanceWorkerCount = 1 }, "node-a");
        var large = SessionConnections.Settings(Settings("Host=db"), new JobsOptions { MaintenanceWorkerCount = 4 }, "node-a");

        small.MaxPoolSize.Should().Be(3 + 2 + 1, "two relays and the wake-up LISTEN, two frequent passes, one maintenance thread");
        large.MaxPoolSize.Should().Be(small.MaxPoolSize + 3);
        small.ApplicationName.Should().Be("provisioner-sessions:node-a");
    }
}
