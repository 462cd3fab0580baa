using Hangfire.PostgreSql;
using Hangfire.Storage;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// A lock in the job store left by a worker killed while holding it (a job's state change, the recurring scheduler's
/// pass) is taken by another worker within seconds, not after Hangfire.PostgreSql's default ten minutes: until then
/// that job could not be taken over, or no recurring job started anywhere. The store is Hangfire.PostgreSql's,
/// configured as a worker configures it.
/// </summary>
public sealed class JobStoreLockTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(JobStoreLockTests));

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("job:42:state-lock")]
    [InlineData("recurring-jobs:lock")]
    public void Lock_LeftByAKilledWorker_IsTakenWithinSeconds(string resource)
    {
        var killed = Store();
        using var killedConnection = killed.GetConnection();
        // Acquired and never released: the holder died before its release ran.
        _ = killedConnection.AcquireDistributedLock(resource, TimeSpan.FromSeconds(5));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        using var survivor = Store().GetConnection();
        var act = () => survivor.AcquireDistributedLock(resource, TimeSpan.FromSeconds(30));

        using var taken = act.Should().NotThrow("the dead holder's lock runs out after Jobs:DistributedLockTimeout").Subject;
        waited.Elapsed.Should().BeGreaterThanOrEqualTo(new JobsOptions().DistributedLockTimeout - TimeSpan.FromSeconds(1),
            "a lock within its timeout is still its holder's");
    }

    private PostgreSqlStorage Store()
    {
        var options = JobEngineServices.StorageOptions(new JobsOptions());
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(_database.ConnectionString, options), options);
    }
}
