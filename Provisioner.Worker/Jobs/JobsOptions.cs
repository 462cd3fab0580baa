using System.ComponentModel.DataAnnotations;

namespace Provisioner.Worker.Jobs;

/// <summary>The job engine in a worker (Hangfire on PostgreSQL). Section <c>Jobs</c>.</summary>
public sealed class JobsOptions : IValidatableObject
{
    public const string Section = "Jobs";

    /// <summary>
    /// This worker's name, shown on the jobs dashboard and in circuit and health reports. Must be unique per
    /// running worker. Default: the host name and process id.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,60}$")]
    public string? NodeName { get; set; }

    /// <summary>
    /// Threads running lifecycle steps at once. Steps await clouds rather than block, so this may exceed the
    /// cores; each thread may hold one PostgreSQL connection. Default: twice the cores, from 2 to 10
    /// (<see cref="DefaultWorkerCount"/>): on a small machine or a pod with a fraction of a core, more threads only
    /// queue for the CPU.
    /// </summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = DefaultWorkerCount(Environment.ProcessorCount);

    /// <summary>Threads running maintenance (sweeps, reconciliation), apart from the lifecycle ones. Default 2.</summary>
    [Range(1, 20)]
    public int MaintenanceWorkerCount { get; set; } = 2;

    /// <summary>
    /// Threads sending webhook deliveries, apart from the lifecycle ones. A receiver that hangs holds at most
    /// <c>Webhooks:MaxConcurrencyPerHost</c> of them. Default: the cores, from 2 to 4.
    /// </summary>
    [Range(1, 50)]
    public int WebhookWorkerCount { get; set; } = Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>The default <see cref="WorkerCount"/> on a machine with <paramref name="cores"/> cores.</summary>
    public static int DefaultWorkerCount(int cores) => Math.Clamp(2 * cores, 2, 10);

    /// <summary>
    /// Whether an enqueue wakes an idle job thread of its queue in every worker at once (PostgreSQL NOTIFY on
    /// commit, one LISTEN connection per worker: <see cref="JobWakeUp"/>). Off, an idle thread finds new work at its
    /// next <see cref="QueuePollInterval"/>, except work enqueued in its own process, which Hangfire signals itself.
    /// Default true.
    /// </summary>
    public bool WakeUp { get; set; } = true;

    /// <summary>
    /// Whether idle job threads wait on PostgreSQL LISTEN/NOTIFY (Hangfire.PostgreSql's long polling) instead of
    /// polling every <see cref="QueuePollInterval"/>. Default false: under load a fetched job could stay hidden and
    /// never run. Hangfire.PostgreSql 1.21.1 waits without a timeout for its listener task after every fetch, and
    /// Npgsql 10.0.0's <c>WaitAsync</c> can lose that cancellation (Npgsql #5975), so the worker blocks until the
    /// next NOTIFY while the sliding keep-alive keeps its job invisible. Reproduced here in 2 of 26 drains of
    /// 3,000 jobs; with polling every 200 ms, none in 10, with a pickup of about 45 ms at the median.
    /// </summary>
    public bool LongPolling { get; set; }

    /// <summary>
    /// How often an idle job thread looks at its queue without being woken. With <see cref="WakeUp"/> on it is only
    /// the fallback for a lost notification (the listener wakes every thread when it reconnects, so only a
    /// notification lost on a live connection waits for it); off, the pickup delay is about half of it, so set it
    /// to a second or less then. Every idle thread of every worker looks this often. Default 30 s (measured idle: at
    /// 5 s the 16 idle threads of two workers were ~230 of the stack's ~1,550 PostgreSQL transactions a minute).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a fetched job stays hidden from other workers without a keep-alive from its worker. A worker
    /// killed mid-job has its job taken over after about this long. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest a lock in the job store (a job's state change, the recurring and delayed schedulers) is waited for
    /// while another holds it; then the caller gets Hangfire's timeout (a worker retries its state change, a scheduler
    /// skips its pass). The locks are PostgreSQL session advisory locks (<c>AdvisoryLockJobStorage</c>): a worker
    /// killed while holding one loses it when its connection drops, and every hold lasts a few store calls. It also
    /// bounds Hangfire.PostgreSql's own row lock of its expiration manager, which counts as abandoned after this.
    /// Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often each job server looks for due recurring jobs and delayed jobs. Deadlines and retries do not wait on
    /// it (the relay hands them off when due, see <see cref="RelayHorizon"/>), so it bounds only how late a recurring
    /// job starts; each look takes a lock in the store, by every server of every worker. Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the outbox relay looks for work even without a notification or a known due time: the fallback for
    /// a notification lost on a live connection (the relay looks whenever it reconnects its LISTEN). It wakes anyway
    /// when a row falls due and when a handed-off row's job would be presumed lost (<see cref="LostJobAfter"/>).
    /// Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far ahead the relay hands work to the engine. Work due later stays in the outbox until it comes within
    /// this horizon: the relay wakes when the earliest row comes within it. Default 0: work is handed off when due,
    /// straight onto its queue, so a deadline's lateness is the relay's wake-up and a thread's pickup (milliseconds).
    /// Above 0, work due later becomes a delayed job in the engine, which starts it up to
    /// <see cref="SchedulePollingInterval"/> after its time, rounded up to the second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RelayHorizon { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The most rows one hand-off of an outbox claims (and hands to the engine in one transaction); a full batch
    /// means the relay looks again at once. Default 100.
    /// </summary>
    [Range(1, 10_000)]
    public int RelayBatchSize { get; set; } = 100;

    /// <summary>
    /// How long a lost LISTEN connection (the relays' and the job threads' wake-up) waits before it is opened again.
    /// Not a poll interval: while it is down, new work waits for the fallback polls (<see cref="RelayPollInterval"/>,
    /// <see cref="QueuePollInterval"/>, 30 s each), so it is retried within a second; a failed open costs one
    /// connection attempt.
    /// </summary>
    internal static readonly TimeSpan ListenRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a handed-off item may stay pending past its due time before its job is presumed lost (deleted,
    /// failed on an unexpected error) and handed off again. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LostJobAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// PostgreSQL connections to leave free for everything else (API processes, operators, migrations) when a
    /// worker checks at start-up that its own connections fit under <c>max_connections</c>. Default 10.
    /// </summary>
    [Range(0, 10_000)]
    public int ReservedConnections { get; set; } = 10;

    /// <summary>Rules across settings; single values are checked by their attributes.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A live worker keeps its running job hidden by keep-alives; an item presumed lost sooner than a dead
        // worker's job reappears would be handed off while the engine may still run its first job.
        if (LostJobAfter <= InvisibilityTimeout)
        {
            yield return new ValidationResult(
                $"{Section}:LostJobAfter ({LostJobAfter}) must be longer than {Section}:InvisibilityTimeout ({InvisibilityTimeout})",
                [nameof(LostJobAfter)]);
        }
    }
}
