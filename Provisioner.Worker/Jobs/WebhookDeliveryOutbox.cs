using Hangfire.Common;
using Npgsql;
using Provisioner.Core.Jobs;
using Provisioner.Core.Webhooks;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// Pending webhook deliveries, handed to the webhooks queue when they fall due: new ones at once (the transition's
/// commit wakes the relay), retries at their backoff time. Each hand-off gives the delivery a new ticket for its job.
/// </summary>
internal sealed class WebhookDeliveryOutbox : IOutbox
{
    public string Channel => WebhookOutbox.Channel;

    // Pending deliveries due within the horizon and not handed off, and handed-off ones whose job should long be
    // done (its worker died mid-attempt): the same two questions asked of instance work.
    public string Claim => """
        SELECT id, next_attempt_at, event_type, instance_id FROM provisioner.webhook_deliveries
         WHERE status = 'PENDING' AND ((job_id IS NULL AND next_attempt_at < $2) OR greatest(next_attempt_at, handed_off_at) < $1)
         ORDER BY next_attempt_at
         LIMIT $3
           FOR UPDATE SKIP LOCKED
        """;

    public string NextDue => """
        SELECT least(min(next_attempt_at) FILTER (WHERE job_id IS NULL) - $1,
                     min(greatest(next_attempt_at, handed_off_at)) FILTER (WHERE job_id IS NOT NULL) + $2)
          FROM provisioner.webhook_deliveries WHERE status = 'PENDING'
        """;

    public string MarkHandedOff => "UPDATE provisioner.webhook_deliveries SET ticket = $2, job_id = $3, handed_off_at = $4 WHERE id = $1";

    public Claimed Read(NpgsqlDataReader row)
    {
        var id = row.GetGuid(0);
        var ticket = Guid.NewGuid();
        var job = new WebhookJob(id, ticket, row.GetString(2), row.IsDBNull(3) ? null : row.GetGuid(3));
        return new Claimed(
            Job.FromExpression<IWebhookJobs>(j => j.Deliver(job, CancellationToken.None), JobQueues.Webhooks),
            row.GetFieldValue<DateTimeOffset>(1),
            [id, ticket]);
    }
}
