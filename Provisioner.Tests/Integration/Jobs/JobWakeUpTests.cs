using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Core.Jobs;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// An idle job thread finds new work through the wake-up path (NOTIFY on enqueue, one listener per worker), not by
/// its poll, and work whose notification was lost is still found by the fallback poll. The job store and the thread
/// are Hangfire.PostgreSql's, wired as a worker wires them; the work arrives the way another process's enqueue leaves
/// it (a queue row, with or without the notification), so Hangfire's in-process signal plays no part.
/// </summary>
public sealed class JobWakeUpTests : IAsyncLifetime
{
    private const string Queue = JobQueues.Lifecycle;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(JobWakeUpTests));

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task IdleThread_WithAnHourBetweenPolls_IsWokenForWorkEnqueuedElsewhere()
    {
        await using var sut = await WakingWorker.StartAsync(_database, poll: TimeSpan.FromHours(1));
        var fetched = sut.FetchAsync();
        await sut.WaitUntilIdleAsync(fetched);

        var jobId = await EnqueueAsync(notify: true);

        (await Task.WhenAny(fetched, Task.Delay(Deadline))).Should().BeSameAs(fetched,
            "the notification wakes the waiting thread; its next poll is an hour away");
        (await fetched).Should().Be(jobId);
    }

    [Fact]
    public async Task LostNotification_IsPickedUpByTheFallbackPoll()
    {
        await using var sut = await WakingWorker.StartAsync(_database, poll: TimeSpan.FromSeconds(1));
        var fetched = sut.FetchAsync();
        await sut.WaitUntilIdleAsync(fetched);

        var jobId = await EnqueueAsync(notify: false);

        (await Task.WhenAny(fetched, Task.Delay(Deadline))).Should().BeSameAs(fetched,
            "with no notification the thread's poll finds the work");
        (await fetched).Should().Be(jobId);
    }

    /// <summary>A queue row as another process's enqueue leaves it, with its notification or with it lost.</summary>
    private async Task<string> EnqueueAsync(bool notify)
    {
        var jobId = Random.Shared.NextInt64(1, long.MaxValue);
        await _database.ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue) VALUES ($1, $2)", jobId, Queue);
        if (notify)
        {
            await _database.ExecuteAsync("SELECT pg_notify($1, $2)", JobWakeUp.Channel, Queue);
        }

        return jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A worker's job store with the wake-up path, its listener, and one job thread.</summary>
    private sealed class WakingWorker : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly JobWakeUpListener _listener;
        private readonly PostgreSqlStorage _storage;
        private readonly TestDatabase _database;
        private readonly string _application = "wake-up-test-" + Guid.NewGuid().ToString("N")[..8];

        private WakingWorker(TestDatabase database, TimeSpan poll)
        {
            _database = database;
            var wakeUp = new JobWakeUp();
            var options = JobEngineServices.StorageOptions(new JobsOptions { QueuePollInterval = poll });
            var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = _application }.ConnectionString;
            _storage = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
            JobEngineServices.UseWakeUp(_storage, wakeUp);
            _listener = new JobWakeUpListener(wakeUp, database.DataSource, Options.Create(new JobsOptions()), TimeProvider.System,
                NullLogger<JobWakeUpListener>.Instance);
        }

        public static async Task<WakingWorker> StartAsync(TestDatabase database, TimeSpan poll)
        {
            var worker = new WakingWorker(database, poll);
            try
            {
                await worker._listener.StartAsync(CancellationToken.None);
                (await Task.WhenAny(worker._listener.Listening, Task.Delay(Deadline))).Should().BeSameAs(worker._listener.Listening, "the listener connects");
                return worker;
            }
            catch
            {
                await worker.DisposeAsync();
                throw;
            }
        }

        /// <summary>One job thread's dequeue, as Hangfire's worker calls it.</summary>
        public Task<string> FetchAsync() => Task.Run(() =>
        {
            using var connection = _storage.GetConnection();
            using var job = connection.FetchNextJob([Queue], _stop.Token);
            job.RemoveFromQueue();
            return job.JobId;
        });

        /// <summary>
        /// Until the thread has looked at its empty queue and committed (its connection idle after COMMIT): work
        /// enqueued after this can only be found by a wake-up or a poll.
        /// </summary>
        public async Task WaitUntilIdleAsync(Task<string> fetched)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await _database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query ILIKE 'commit%'", _application) == 0)
            {
                fetched.IsCompleted.Should().BeFalse("the queue is empty, so the thread must wait");
                waited.Elapsed.Should().BeLessThan(Deadline, "the thread looks at its queue as soon as it starts");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _listener.StopAsync(CancellationToken.None);
            _listener.Dispose();
            _stop.Dispose();
        }
    }
}
