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
    /// cores; each thread may hold one PostgreSQL connection. Default 10.
    /// </summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 10;

    /// <summary>Threads running maintenance (sweeps, reconciliation), apart from the lifecycle ones. Default 2.</summary>
    [Range(1, 20)]
    public int MaintenanceWorkerCount { get; set; } = 2;

    /// <summary>
    /// Threads sending webhook deliveries, apart from the lifecycle ones. A receiver that hangs holds at most
    /// <c>Webhooks:MaxConcurrencyPerHost</c> of them. Default 4.
    /// </summary>
    [Range(1, 50)]
    public int WebhookWorkerCount { get; set; } = 4;

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
    /// How often an idle job thread looks at its queue: the pickup delay is about half of it. Also the safety net
    /// for a dropped LISTEN connection (Hangfire.PostgreSql #410) when long polling is on. Default 200 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a fetched job stays hidden from other workers without a keep-alive from its worker. A worker
    /// killed mid-job has its job taken over after about this long. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often due delayed jobs and recurring jobs are looked for. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the outbox relay looks for work even without a notification (a crash between commit and
    /// hand-off, a lost notification). Default 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far ahead the relay hands work to the engine. Work due later stays in the outbox until it comes within
    /// this horizon (the relay looks every <see cref="RelayPollInterval"/>), so an hour-away deadline costs the
    /// engine nothing until shortly before. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RelayHorizon { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most rows one hand-off of an outbox claims (and hands to the engine in one transaction); a full batch
    /// means the relay looks again at once. Default 100.
    /// </summary>
    [Range(1, 10_000)]
    public int RelayBatchSize { get; set; } = 100;

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
