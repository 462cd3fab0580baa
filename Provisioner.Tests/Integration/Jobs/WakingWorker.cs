using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// A worker's job store with the wake-up path, its listener, one job thread on <c>queue</c>, and, when asked, the
/// takeover of timed-out jobs: Hangfire.PostgreSql's own parts, wired as a worker wires them.
/// </summary>
internal sealed class WakingWorker : IAsyncDisposable
{
    /// <summary>How long a test waits for what it expects before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();
    private readonly JobWakeUpListener _listener;
    private readonly JobTakeover? _takeover;
    private readonly PostgreSqlStorage _storage;
    private readonly TestDatabase _database;
    private readonly string _queue;
    private readonly string _application = "wake-up-test-" + Guid.NewGuid().ToString("N")[..8];

    private WakingWorker(TestDatabase database, string queue, JobsOptions settings, bool takeover)
    {
        _database = database;
        _queue = queue;
        var wakeUp = new JobWakeUp();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = _application }.ConnectionString;
        _storage = JobEngineServices.Storage(connectionString, settings, NullLoggerFactory.Instance);
        JobEngineServices.UseWakeUp(_storage, wakeUp);
        // The database's own pool, which it disposes: the session pool is not disposed here.
        _listener = new JobWakeUpListener(wakeUp, new SessionConnections(database.DataSource), TimeProvider.System,
            NullLogger<JobWakeUpListener>.Instance);
        _takeover = takeover
            ? new JobTakeover(database.DataSource, Options.Create(settings), TimeProvider.System, NullLogger<JobTakeover>.Instance, wakeUp)
            : null;
    }

    /// <summary>Starts the listener (and the takeover) and returns once notifications reach it.</summary>
    public static async Task<WakingWorker> StartAsync(
        TestDatabase database, TimeSpan poll, string queue, TimeSpan? invisibility = null, bool takeover = false)
    {
        var settings = new JobsOptions { QueuePollInterval = poll };
        if (invisibility is { } timeout)
        {
            settings.InvisibilityTimeout = timeout;
        }

        var worker = new WakingWorker(database, queue, settings, takeover);
        try
        {
            await worker._listener.StartAsync(CancellationToken.None);
            (await Task.WhenAny(worker._listener.Listening, Task.Delay(Deadline))).Should().BeSameAs(worker._listener.Listening, "the listener connects");
            if (worker._takeover is { } sut)
            {
                await sut.StartAsync(CancellationToken.None);
            }

            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One job thread's dequeue, as Hangfire's worker calls it; the job is done at once. On a thread of its own, as
    /// Hangfire runs its workers: the dequeue blocks, and on a loaded machine a blocked pool thread can starve the test.
    /// </summary>
    public Task<string> FetchAsync() => Task.Factory.StartNew(() =>
    {
        using var connection = _storage.GetConnection();
        using var job = connection.FetchNextJob([_queue], _stop.Token);
        job.RemoveFromQueue();
        return job.JobId;
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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
        if (_takeover is not null)
        {
            await _takeover.StopAsync(CancellationToken.None);
            _takeover.Dispose();
        }

        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
        _stop.Dispose();
    }
}
