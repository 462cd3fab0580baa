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
    private static readonly TimeSpan Deadline = WakingWorker.Deadline;

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
        await using var sut = await WakingWorker.StartAsync(_database, poll: TimeSpan.FromHours(1), Queue);
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
        await using var sut = await WakingWorker.StartAsync(_database, poll: TimeSpan.FromSeconds(1), Queue);
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
}
