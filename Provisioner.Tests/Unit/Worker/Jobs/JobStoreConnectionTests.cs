using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Provisioner.Hosting.Connections;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Unit.Worker.Jobs;

/// <summary>
/// The job store's pool: sized for the job threads and the servers' own connections, its statements prepared, and no
/// reset of a returned connection unless long polling leaves a LISTEN on it.
/// </summary>
public sealed class JobStoreConnectionTests
{
    private static IConfiguration Settings(string connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Provisioner"] = connectionString }).Build();

    [Fact]
    public void JobStoreConnection_Defaults_PreparesStatements_SkipsTheReset_AndNamesTheNode()
    {
        var options = new JobsOptions { WorkerCount = 4, MaintenanceWorkerCount = 2, WebhookWorkerCount = 2 };

        var sut = JobEngineServices.JobStoreConnection(Settings("Host=db;Username=app;Maximum Pool Size=20"), options, "node-a");

        sut.MaxAutoPrepare.Should().Be(PreparedStatements.MaxAutoPrepare);
        sut.NoResetOnClose.Should().BeTrue();
        sut.ApplicationName.Should().Be("provisioner-jobs:node-a");
        sut.MaxPoolSize.Should().BeGreaterThan(4 + 2 + 2, "every job thread may hold one, and the servers' own processes need more");
    }

    [Fact]
    public void JobStoreConnection_WithLongPolling_KeepsTheReset_SoNoListenOutlivesItsTurn()
    {
        var sut = JobEngineServices.JobStoreConnection(Settings("Host=db;Username=app"), new JobsOptions { LongPolling = true }, "node-a");

        sut.NoResetOnClose.Should().BeFalse();
        sut.MaxAutoPrepare.Should().Be(PreparedStatements.MaxAutoPrepare, "Npgsql's reset keeps prepared statements");
    }

    [Fact]
    public void JobStoreConnection_AConnectionStringWithoutPreparedStatements_IsLeftSo()
    {
        var sut = JobEngineServices.JobStoreConnection(Settings("Host=db;Username=app;Max Auto Prepare=0"), new JobsOptions(), "node-a");

        sut.MaxAutoPrepare.Should().Be(0);
    }
}
