using System.ComponentModel;

namespace Provisioner.Core.Jobs;

/// <summary>
/// The job that makes one attempt at a webhook delivery, as the engine stores and shows it (declared here, like
/// <see cref="IInstanceJobs"/>, so the dashboard can name it). The ticket is the one the relay gave the delivery
/// when it handed it over; a job whose ticket is gone does nothing.
/// </summary>
public interface IWebhookJobs
{
    /// <summary>The dashboard names the job by its event and instance (<see cref="WebhookJob.ToString"/>), not by the delivery's id.</summary>
    [DisplayName("{0}")]
    Task Deliver(WebhookJob job, CancellationToken cancellationToken);
}

/// <summary>
/// One attempt at a delivery: what <see cref="IWebhookJobs.Deliver"/> is called with, stored with the job and shown
/// on the dashboard. It holds what names the job and nothing else: the receiver's URL, the payload and the signing
/// secret stay in the delivery's row, so the job store (readable from the dashboard) holds no secret.
/// </summary>
public sealed record WebhookJob(Guid DeliveryId, Guid Ticket, string EventType, Guid? InstanceId)
{
    /// <summary>The job's name on the dashboard: "Deliver instance.ready for instance …", or the delivery for an event of no instance.</summary>
    public override string ToString() => InstanceId is { } instance
        ? $"Deliver {EventType} for instance {instance}"
        : $"Deliver {EventType} (delivery {DeliveryId})";
}
