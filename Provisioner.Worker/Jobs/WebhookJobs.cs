using Provisioner.Core.Jobs;
using Provisioner.Core.Webhooks;

namespace Provisioner.Worker.Jobs;

/// <summary>The engine's entry point for a delivery attempt. Like a lifecycle step, it is let finish during a drain (its own timeout bounds it).</summary>
internal sealed class WebhookJobs(WebhookSender sender) : IWebhookJobs
{
    public Task Deliver(Guid deliveryId, Guid ticket, CancellationToken _) =>
        sender.SendAsync(deliveryId, ticket, CancellationToken.None);
}
