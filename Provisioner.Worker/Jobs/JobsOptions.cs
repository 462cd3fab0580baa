using System.ComponentModel.DataAnnotations;

namespace Provisioner.Worker.Jobs;

/// <summary>The job engine in a worker (Hangfire on PostgreSQL). Section <c>Jobs</c>.</summary>
public sealed class JobsOptions
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
    /// cores; with long polling each thread holds one PostgreSQL connection. Default 10.
    /// </summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 10;

    /// <summary>Threads running maintenance (sweeps, reconciliation), apart from the lifecycle ones. Default 2.</summary>
    [Range(1, 20)]
    public int MaintenanceWorkerCount { get; set; } = 2;

    /// <summary>
    /// Whether idle worker threads wait on PostgreSQL LISTEN/NOTIFY for new jobs (a job starts in tens of
    /// milliseconds) rather than only polling every <see cref="QueuePollInterval"/>. Default true.
    /// </summary>
    public bool LongPolling { get; set; } = true;

    /// <summary>
    /// How often an idle thread looks at its queue anyway: the whole pickup delay without long polling, and the
    /// safety net for a dropped LISTEN connection (Hangfire.PostgreSql #410) with it. Default 1 s.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a fetched job stays hidden from other workers without a keep-alive from its worker. A worker
    /// killed mid-job has its job taken over after about this long. Default 5 s.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often due delayed jobs and recurring jobs are looked for. Default 1 s.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the outbox relay looks for work even without a notification (a crash between commit and
    /// hand-off, a lost notification). Default 1 s.
    /// </summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a handed-off item may stay pending past its due time before its job is presumed lost (deleted,
    /// failed on an unexpected error) and handed off again. Default 60 s.
    /// </summary>
    public TimeSpan LostJobAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// PostgreSQL connections to leave free for everything else (API processes, operators, migrations) when a
    /// worker checks at start-up that its own connections fit under <c>max_connections</c>. Default 10.
    /// </summary>
    [Range(0, 10_000)]
    public int ReservedConnections { get; set; } = 10;
}
