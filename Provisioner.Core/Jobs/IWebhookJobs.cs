using System.ComponentModel;

namespace Provisioner.Core.Jobs;

/// <summary>
/// The job that makes one attempt at a webhook delivery, as the engine stores and shows it (declared here, like
/// <see cref="IInstanceJobs"/>, so the dashboard can name it). The ticket is the one the relay gave the delivery
/// when it handed it over; a job whose ticket is gone does nothing.
/// </summary>
public interface IWebhookJobs
{
    [DisplayName("Deliver webhook {0}")]
    Task Deliver(Guid deliveryId, Guid ticket, CancellationToken cancellationToken);
}
