using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Provisioner.Core.Instances;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Providers;
using Provisioner.Core.Telemetry;

namespace Provisioner.Core.Jobs;

/// <summary>
/// Runs one pending item for whichever job engine delivered it: checks the ticket is still the pending one,
/// never starts a step before it is due, runs the step, and then either retires the item or schedules the same
/// step again after a back-off. This is the one retry policy; the engine retries nothing.
/// </summary>
public sealed class InstanceWorkRunner(
    NpgsqlDataSource dataSource,
    IServiceProvider services,
    IOptions<LifecycleOptions> lifecycle,
    TimeProvider clock,
    ProvisionerMetrics metrics,
    ILogger<InstanceWorkRunner> logger)
{
    /// <summary>
    /// How early a job may start and still wait for its due time in place. Engines store due times coarsely
    /// (whole seconds) and may start a delayed job a little early; further out, the item is handed back.
    /// </summary>
    public static readonly TimeSpan EarlyStartTolerance = TimeSpan.FromSeconds(3);

    /// <returns>What happened, for the engine's log and the tests.</returns>
    public async Task<WorkRunResult> RunAsync(InstanceWorkKind kind, Guid instanceId, Guid ticket, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await RunTracedAsync(kind, instanceId, ticket, cancellationToken);
            outcome = result switch
            {
                WorkRunResult.Done => "done",
                WorkRunResult.Retrying => "retrying",
                WorkRunResult.HandedBack => "handed_back",
                _ => "stale",
            };
            return result;
        }
        finally
        {
            metrics.JobFinished(kind, outcome, clock.GetElapsedTime(started));
        }
    }

    private async Task<WorkRunResult> RunTracedAsync(InstanceWorkKind kind, Guid instanceId, Guid ticket, CancellationToken cancellationToken)
    {
        var pending = await ReadAsync(kind, instanceId, cancellationToken);
        if (pending is null || pending.Value.Ticket != ticket)
        {
            logger.TicketStale(kind, instanceId, ticket);
            return WorkRunResult.Stale;
        }

        // The job continues the trace of whatever scheduled it, and its log lines (and any work it schedules in
        // turn) carry the client's correlation id.
        using var activity = WorkTrace.StartJob(kind, instanceId, pending.Value.TraceParent, pending.Value.CorrelationId);
        using var correlation = Correlation.Begin(pending.Value.CorrelationId);
        using var scope = pending.Value.CorrelationId is { } correlationId ? Correlation.BeginLogScope(logger, correlationId) : null;
        metrics.JobStarted(kind, clock.GetUtcNow() - pending.Value.RunAt);
        var result = await RunStepAsync(kind, instanceId, ticket, pending.Value, cancellationToken);
        activity?.SetTag("provisioner.job.result", result.ToString());
        return result;
    }

    private async Task<WorkRunResult> RunStepAsync(InstanceWorkKind kind, Guid instanceId, Guid ticket,
        (Guid Ticket, DateTimeOffset RunAt, int Attempt, string? TraceParent, string? CorrelationId) pending, CancellationToken cancellationToken)
    {
        var early = pending.RunAt - clock.GetUtcNow();
        if (early > EarlyStartTolerance)
        {
            await HandBackAsync(kind, instanceId, ticket, cancellationToken);
            return WorkRunResult.HandedBack;
        }

        if (early > TimeSpan.Zero)
        {
            // Never before the due time: an auto-termination must not stop a machine early.
            await Task.Delay(early, clock, cancellationToken);
        }

        var settings = lifecycle.Value;
        var attempt = new WorkAttempt(pending.Attempt + 1, settings.CloudRetryAttempts + 1);
        var step = (IInstanceStep)services.GetRequiredService(InstanceWorkKinds.Of(kind).Step);
        var outcome = await step.RunAsync(instanceId, kind, attempt, cancellationToken);

        if (outcome.IsRetry)
        {
            var delay = RetryDelay(attempt.Number, settings);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.WorkRetrying(kind, instanceId, attempt.Number, attempt.Allowed, delay, outcome.RetryBecause!.ToFailureReason());
            }

            await RecordCloudErrorAsync(instanceId, outcome.RetryBecause!, cancellationToken);
            await RetryAsync(kind, instanceId, ticket, delay, cancellationToken);
            return WorkRunResult.Retrying;
        }

        await RetireAsync(kind, instanceId, ticket, cancellationToken);
        return WorkRunResult.Done;
    }

    // Kept on the instance so that a stuck-state failure can name what held it up (InstanceLifecycle.StuckReason).
    private Task RecordCloudErrorAsync(Guid instanceId, CloudProviderException error, CancellationToken cancellationToken) =>
        services.GetRequiredService<InstanceUpdater>().UpdateAsync(instanceId, (instance, now, _) =>
        {
            instance.RecordCloudError(error.ToFailureReason(), now);
            return true;
        }, cancellationToken);

    /// <summary>The wait before the retry of a step whose cloud call failed with a throttled or transient error.</summary>
    public static TimeSpan RetryDelay(int attempt, LifecycleOptions settings) =>
        RetryBackoff.After(attempt, settings.CloudRetryInitialDelay, settings.CloudRetryMaxDelay);

    private async Task<(Guid Ticket, DateTimeOffset RunAt, int Attempt, string? TraceParent, string? CorrelationId)?> ReadAsync(
        InstanceWorkKind kind, Guid instanceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT ticket, run_at, attempt, trace_parent, correlation_id FROM {WorkOutbox.Table} WHERE instance_id = $1 AND kind = $2");
        AddKey(command, kind, instanceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }

    /// <summary>Done with this ticket. A follow-up of the same kind that the step scheduled has its own ticket and stays.</summary>
    private async Task RetireAsync(InstanceWorkKind kind, Guid instanceId, Guid ticket, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM {WorkOutbox.Table} WHERE instance_id = $1 AND kind = $2 AND ticket = $3");
        AddKey(command, kind, instanceId);
        command.Parameters.Add(new() { Value = ticket, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RetryAsync(InstanceWorkKind kind, Guid instanceId, Guid ticket, TimeSpan delay, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH retried AS (
                UPDATE {WorkOutbox.Table}
                   SET attempt = attempt + 1, run_at = $4, ticket = $5, job_id = NULL, handed_off_at = NULL, updated_at = $6
                 WHERE instance_id = $1 AND kind = $2 AND ticket = $3
             RETURNING 1)
            SELECT pg_notify('{WorkOutbox.Channel}', '') FROM retried
            """);
        AddKey(command, kind, instanceId);
        var now = clock.GetUtcNow();
        command.Parameters.Add(new() { Value = ticket, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = now + delay, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = Guid.NewGuid(), NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Started far too early: give the item back to the relay, which schedules it for its due time.</summary>
    private async Task HandBackAsync(InstanceWorkKind kind, Guid instanceId, Guid ticket, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH released AS (
                UPDATE {WorkOutbox.Table} SET job_id = NULL, handed_off_at = NULL
                 WHERE instance_id = $1 AND kind = $2 AND ticket = $3
             RETURNING 1)
            SELECT pg_notify('{WorkOutbox.Channel}', '') FROM released
            """);
        AddKey(command, kind, instanceId);
        command.Parameters.Add(new() { Value = ticket, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(NpgsqlCommand command, InstanceWorkKind kind, Guid instanceId)
    {
        command.Parameters.Add(new() { Value = instanceId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = kind.ToString() });
    }
}
