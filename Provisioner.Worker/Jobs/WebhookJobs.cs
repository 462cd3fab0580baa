using Provisioner.Core.Jobs;
using Provisioner.Core.Webhooks;

namespace Provisioner.Worker.Jobs;

/// <summary>The engine's entry point for a delivery attempt. Like a lifecycle step, it is let finish during a drain (its own timeout bounds it).</summary>
internal sealed class WebhookJobs(WebhookSender sender) : IWebhookJobs
{
    public Task Deliver(WebhookJob job, CancellationToken _) =>
        sender.SendAsync(job.DeliveryId, job.Ticket, CancellationToken.None);
}
