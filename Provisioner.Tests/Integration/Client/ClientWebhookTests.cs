using Provisioner.Client;
using Provisioner.Client.Models;
using Provisioner.Client.Waiting;

namespace Provisioner.Tests.Integration.Client;

/// <summary>
/// The client's webhook side against the real stack: a receiver verifies what the API signs with the secret the
/// client was given, and its signal ends a wait at once instead of at the next poll.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ClientWebhookTests(ClientStack stack)
{
    [Fact]
    public async Task WaitUntilReady_EndsWhenTheVerifiedWebhookSaysSo_NotAtTheNextPoll()
    {
        using var sut = stack.NewClient(await stack.NewTenantKeyAsync());
        var url = stack.Receiver.NewEndpoint();
        var settings = await sut.SetWebhookAsync(url, ["*"]);
        stack.Receiver.Trust(url, settings.Secret!);
        // Polls far apart and no read held by the server (as against a server that cannot hold them): only a webhook
        // can end this wait within the test's time.
        var patient = new WaitOptions
        {
            InitialPollInterval = TimeSpan.FromMinutes(10), MaxPollInterval = TimeSpan.FromMinutes(10), Timeout = TimeSpan.FromMinutes(10),
            ServerWait = TimeSpan.Zero, Signal = stack.Receiver.Signal,
        };
        var waited = System.Diagnostics.Stopwatch.StartNew();

        var created = await sut.CreateInstanceAsync(new CreateInstanceRequest
        {
            UserId = "webhook-waiter",
            Config = new InstanceConfig { Requirements = new Requirements("A100") },
        });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ready = await sut.WaitUntilReadyAsync(created.Instance.Id, patient, deadline.Token);
        waited.Stop();
        await sut.TerminateInstanceAsync(ready.Id);

        settings.Secret.Should().StartWith("whsec_", "the first use of webhooks shows the secret, once");
        ready.Status.Should().Be(InstanceStatuses.Ready, stack.Logs());
        waited.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2));
        var verified = stack.Receiver.VerifiedAt(url);
        verified.Should().Contain(e => e.Type == "instance.ready" && e.InstanceId == ready.Id);
        verified.Single(e => e.Type == "instance.ready").Instance!.Status.Should().Be(InstanceStatuses.Ready);
        stack.Receiver.RejectedAt(url).Should().BeEmpty("every webhook the API sent verifies with the secret it gave");
    }

    [Fact]
    public async Task Receiver_HoldingAnotherSecret_RejectsTheApisWebhooks()
    {
        using var sut = stack.NewClient(await stack.NewTenantKeyAsync());
        var url = stack.Receiver.NewEndpoint();
        await sut.SetWebhookAsync(url, ["*"]);
        stack.Receiver.Trust(url, "whsec_" + Convert.ToBase64String(new byte[32]));

        var created = await sut.CreateInstanceAsync(new CreateInstanceRequest { UserId = "wrong-secret", Config = new InstanceConfig { Requirements = new Requirements("A100") } });
        var deliveries = await WaitForDeliveriesAsync(sut, created.Instance.Id);
        await sut.TerminateInstanceAsync(created.Instance.Id);

        stack.Receiver.VerifiedAt(url).Should().BeEmpty();
        stack.Receiver.RejectedAt(url).Should().Contain("No signature matches a known secret.");
        deliveries.Should().Contain(d => d.LastStatusCode == 401, "the API records the receiver's refusal");
    }

    private static async Task<IReadOnlyList<WebhookDelivery>> WaitForDeliveriesAsync(ProvisionerClient client, Guid instanceId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var page = await client.ListWebhookDeliveriesAsync(new WebhookDeliveryQuery(instanceId), deadline.Token);
            if (page.Deliveries.Any(d => d.Attempts > 0))
            {
                return page.Deliveries;
            }

            await Task.Delay(100, deadline.Token);
        }
    }
}
