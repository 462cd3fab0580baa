using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioner.Core.Jobs;
using Provisioner.Tests.Support;
using Provisioner.Worker.Jobs;

namespace Provisioner.Tests.Integration.Jobs;

/// <summary>
/// A job whose worker died holding it (fetched, no keep-alive since) is taken over soon after its invisibility
/// timeout: by an idle thread whose poll is an hour away, and ahead of new work that keeps arriving, which
/// Hangfire.PostgreSql's fetch (<c>ORDER BY fetchedat NULLS FIRST</c>) would otherwise always take first. A job still
/// kept alive is never taken over.
/// </summary>
public sealed class JobTakeoverTests : IAsyncLifetime
{
    private const string Queue = JobQueues.Lifecycle;
    private static readonly TimeSpan Invisibility = TimeSpan.FromSeconds(1);

    private TestDatabase _database = null!;
    private long _nextJobId = 1_000;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(JobTakeoverTests));

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task AbandonedJob_IdleThreadWithAnHourBetweenPolls_IsTakenOver()
    {
        await using var sut = await WakingWorker.StartAsync(_database, poll: TimeSpan.FromHours(1), Queue, Invisibility, takeover: true);
        var fetched = sut.FetchAsync();
        await sut.WaitUntilIdleAsync(fetched);

        var abandoned = await AbandonAsync();

        (await Task.WhenAny(fetched, Task.Delay(WakingWorker.Deadline))).Should().BeSameAs(fetched,
            "the takeover wakes a thread for the timed-out job; the thread's next poll is an hour away");
        (await fetched).Should().Be(abandoned);
    }

    [Fact]
    public async Task AbandonedJob_WhileNewWorkKeepsArriving_IsTakenOverAheadOfIt()
    {
        await using var sut = await WakingWorker.StartAsync(_database, poll: TimeSpan.FromHours(1), Queue, Invisibility, takeover: true);
        var abandoned = await AbandonAsync();
        await EnqueueAsync();

        // Every turn one new job arrives and the thread takes one: the queue never runs out of fresh work.
        var taken = new List<string>();
        var waited = Stopwatch.StartNew();
        while (!taken.Contains(abandoned))
        {
            waited.Elapsed.Should().BeLessThan(WakingWorker.Deadline,
                "the timed-out job must be taken over although fresh work is always waiting ({0} jobs taken)", taken.Count);
            await EnqueueAsync();
            taken.Add(await sut.FetchAsync());
        }
    }

    [Fact]
    public async Task ReleaseTimedOut_ReleasesOnlyRowsPastTheirTimeout_AndNotifiesEachOne()
    {
        var sut = new JobTakeover(_database.DataSource, Options.Create(new JobsOptions { InvisibilityTimeout = Invisibility }),
            TimeProvider.System, NullLogger<JobTakeover>.Instance);
        var kept = await AbandonAsync();
        var timedOut = new[] { await AbandonAsync(Invisibility * 3), await AbandonAsync(Invisibility * 3) };
        await using var listener = await _database.DataSource.OpenConnectionAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new Npgsql.NpgsqlCommand($"LISTEN {JobWakeUp.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var (released, next, _) = await sut.ReleaseTimedOutAsync(CancellationToken.None);

        released.Should().Be(2);
        next.Should().NotBeNull("the kept row times out unless its keep-alive comes").And.BeLessThanOrEqualTo(Invisibility);
        (await FetchedAtAsync(kept)).Should().NotBeNull("a row within its timeout stays its worker's");
        foreach (var id in timedOut)
        {
            (await FetchedAtAsync(id)).Should().BeNull("a timed-out row is fresh work again");
        }

        var waited = Stopwatch.StartNew();
        while (payloads.Count < 2)
        {
            waited.Elapsed.Should().BeLessThan(WakingWorker.Deadline, "each released row notifies its queue");
            await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
        }

        payloads.Select(JobWakeUp.QueueOf).Should().AllBe(Queue);
        payloads.Should().OnlyHaveUniqueItems("notifications alike in one transaction would be folded into one");
    }

    /// <summary>
    /// A queue row as a worker that fetched it and died leaves it: fetched <paramref name="ago"/>, never kept alive
    /// since; its enqueue notified, as every enqueue does (the idle takeover sleeps until one).
    /// </summary>
    private async Task<string> AbandonAsync(TimeSpan ago = default)
    {
        var jobId = Interlocked.Increment(ref _nextJobId);
        await _database.ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue, fetchedat) VALUES ($1, $2, now() - $3)", jobId, Queue, ago);
        await _database.ExecuteAsync("SELECT pg_notify($1, $2)", JobWakeUp.Channel, Queue + JobWakeUp.PayloadSeparator + jobId);
        return jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>New work, as another process's enqueue leaves it, with its notification. Its id is newer than every abandoned one's.</summary>
    private async Task EnqueueAsync()
    {
        var jobId = Interlocked.Increment(ref _nextJobId);
        await _database.ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue) VALUES ($1, $2)", jobId, Queue);
        await _database.ExecuteAsync("SELECT pg_notify($1, $2)", JobWakeUp.Channel, Queue);
    }

    private Task<DateTime?> FetchedAtAsync(string jobId) =>
        _database.ScalarAsync<DateTime?>("SELECT fetchedat FROM hangfire.jobqueue WHERE jobid = $1", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture));
}
