using System.Diagnostics;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Provisioner.Hosting.JobStore;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// The job store's distributed locks (a job's state change, the schedulers' passes, the dashboard's requeue) as
/// PostgreSQL session advisory locks (<see cref="AdvisoryLockJobStorage"/>), the store configured as a worker configures
/// it. Each store stands for a process: two of them share nothing but the database.
/// </summary>
public sealed class JobStoreLockTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(JobStoreLockTests));

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Lock_HeldByOneProcess_IsRefusedToAnotherUntilReleased()
    {
        using var holder = Store().GetConnection();
        using var other = Store().GetConnection();
        var held = holder.AcquireDistributedLock("job:42:state-lock", TimeSpan.FromSeconds(5));
        (await HeldAsync()).Should().Be(1, "the lock lives in PostgreSQL, not in a row");

        var refused = () => other.AcquireDistributedLock("job:42:state-lock", TimeSpan.Zero);
        refused.Should().Throw<DistributedLockTimeoutException>();
        using (other.AcquireDistributedLock("job:43:state-lock", TimeSpan.Zero))
        {
            // Another resource is another lock.
        }

        held.Dispose();
        using var taken = other.AcquireDistributedLock("job:42:state-lock", TimeSpan.Zero);
        (await HeldAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Lock_Released_LeavesNothingHeldOnThePooledConnection()
    {
        var store = Store();
        using (var connection = store.GetConnection())
        using (connection.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromSeconds(5)))
        using (connection.AcquireDistributedLock("lock:recurring-job:sweep", TimeSpan.FromSeconds(5)))
        {
            (await HeldAsync()).Should().Be(2);
        }

        (await HeldAsync()).Should().Be(0, "the session went back to the pool holding nothing");

        // A store connection disposed while still holding a lock releases it too.
        var forgotten = store.GetConnection();
        _ = forgotten.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromSeconds(5));
        forgotten.Dispose();
        (await HeldAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Lock_TakenTwiceOnOneConnection_IsHeldUntilItsLastRelease()
    {
        using var holder = Store().GetConnection();
        using var other = Store().GetConnection();
        var outer = holder.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero);
        var inner = holder.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero);

        inner.Dispose();
        var act = () => other.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero);
        act.Should().Throw<DistributedLockTimeoutException>("the outer hold still stands");

        outer.Dispose();
        using var taken = act.Should().NotThrow().Subject;
        (await HeldAsync()).Should().Be(1);
    }

    [Theory]
    [InlineData("job:42:state-lock")]
    [InlineData("recurring-jobs:lock")]
    public async Task Lock_OfAKilledHolder_IsTakenAsSoonAsItsConnectionDrops(string resource)
    {
        using var killed = Store().GetConnection();
        _ = killed.AcquireDistributedLock(resource, TimeSpan.FromSeconds(5));
        using var survivor = Store().GetConnection();
        var waiter = Task.Run(() => survivor.AcquireDistributedLock(resource, TimeSpan.FromSeconds(30)));
        await WaitUntilAsync(async () => await WaitingAsync() == 1, "the survivor waits in PostgreSQL");

        // What SIGKILL does to a worker's connections: the server ends the session.
        var killedBackends = await _database.ScalarAsync<long>(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE {OurLocks} AND granted");
        killedBackends.Should().Be(1);

        var waited = Stopwatch.StartNew();
        (await Task.WhenAny(waiter, Task.Delay(Deadline))).Should().BeSameAs(waiter);
        using var taken = await waiter;
        waited.Elapsed.Should().BeLessThan(new JobsOptions().DistributedLockTimeout,
            "a dead holder's lock goes with its connection, not after a timeout");
    }

    [Fact]
    public async Task Lock_Released_IsGrantedToAWaiterAtOnce()
    {
        using var holder = Store().GetConnection();
        using var waiting = Store().GetConnection();
        var held = holder.AcquireDistributedLock("job:7:state-lock", TimeSpan.Zero);
        var waiter = Task.Run(() => waiting.AcquireDistributedLock("job:7:state-lock", TimeSpan.FromSeconds(30)));
        await WaitUntilAsync(async () => await WaitingAsync() == 1, "the waiter waits in PostgreSQL");

        held.Dispose();
        (await Task.WhenAny(waiter, Task.Delay(Deadline))).Should().BeSameAs(waiter);
        using var taken = await waiter;
        (await HeldAsync()).Should().Be(1);
    }

    [Fact]
    public void Lock_HeldPastTheWait_ThrowsHangfiresTimeoutNamingTheResource()
    {
        using var holder = Store().GetConnection();
        using var held = holder.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.Zero);
        // Hangfire asks for a job's state lock for up to 15 minutes; the store waits at most its own limit.
        using var waiting = Store(maxWait: TimeSpan.FromSeconds(1)).GetConnection();

        var waited = Stopwatch.StartNew();
        var act = () => waiting.AcquireDistributedLock("recurring-jobs:lock", TimeSpan.FromMinutes(15));

        act.Should().Throw<DistributedLockTimeoutException>()
            .Which.Resource.Should().EndWith("recurring-jobs:lock", "Hangfire's schedulers recognise their own lock by it");
        waited.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)).And.BeLessThan(Deadline);

        // The timed-out wait left the pooled session as it found it: a later wait on it still waits.
        waited.Restart();
        act.Should().Throw<DistributedLockTimeoutException>();
        waited.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9));
    }

    /// <summary>Job store locks of this test's database, held or waited for.</summary>
    private static readonly string OurLocks =
        $"locktype = 'advisory' AND classid = {SessionAdvisoryLocks.LockSpace} AND objsubid = 2 " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private Task<long> HeldAsync() => _database.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE {OurLocks} AND granted");

    private Task<long> WaitingAsync() => _database.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE {OurLocks} AND NOT granted");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string because)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            deadline.Elapsed.Should().BeLessThan(Deadline, because);
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private AdvisoryLockJobStorage Store(TimeSpan? maxWait = null)
    {
        var options = JobEngineServices.StorageOptions(new JobsOptions { DistributedLockTimeout = maxWait ?? new JobsOptions().DistributedLockTimeout });
        return new AdvisoryLockJobStorage(new NpgsqlConnectionFactory(_database.ConnectionString, options), options);
    }
}
