using Hangfire.Common;
using Npgsql;
using Provisioner.Core.Instances;
using Provisioner.Core.Jobs;

namespace Provisioner.Worker.Jobs;

/// <summary>Instance work (rows of <c>pending_work</c>), handed to the lifecycle queue.</summary>
internal sealed class InstanceWorkOutbox : IOutbox
{
    public string Channel => WorkOutbox.Channel;

    // Rows never handed off that fall due within the horizon, and rows whose job should have finished long ago
    // (deleted, or failed on an unexpected error: the engine retries nothing itself). Rows due later (an
    // auto-termination an hour away) stay ours until then, so the engine holds only near work.
    public string Claim => $"""
        SELECT instance_id, kind, run_at, ticket FROM {WorkOutbox.Table}
         WHERE (job_id IS NULL AND run_at < $2) OR greatest(run_at, handed_off_at) < $1
         ORDER BY run_at
         LIMIT $3
           FOR UPDATE SKIP LOCKED
        """;

    public string NextDue => $"""
        SELECT least(min(run_at) FILTER (WHERE job_id IS NULL) - $1,
                     min(greatest(run_at, handed_off_at)) FILTER (WHERE job_id IS NOT NULL) + $2)
          FROM {WorkOutbox.Table}
        """;

    public string MarkHandedOff => $"UPDATE {WorkOutbox.Table} SET job_id = $3, handed_off_at = $4 WHERE instance_id = $1 AND kind = $2";

    public Claimed Read(NpgsqlDataReader row)
    {
        var job = new InstanceJob(Enum.Parse<InstanceWorkKind>(row.GetString(1)), row.GetGuid(0), row.GetGuid(3));
        return new Claimed(
            Job.FromExpression<IInstanceJobs>(j => j.Run(job, CancellationToken.None), JobQueues.Lifecycle),
            row.GetFieldValue<DateTimeOffset>(2),
            [job.InstanceId, job.Kind.ToString()]);
    }
}
