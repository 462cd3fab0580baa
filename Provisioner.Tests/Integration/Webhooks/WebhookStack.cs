using System.Net.Http.Json;
using Provisioner.Api.Webhooks;
using Provisioner.Core.Webhooks;
using Provisioner.Tests.Fakes.Webhooks;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Webhooks;

/// <summary>
/// The system with one worker and a webhook receiver on loopback, which <c>Webhooks:AllowedHosts</c> exempts by its
/// address and port (127.0.0.1:its port) only: <c>localhost</c>, which names the same machine, is still refused. Retries are fast and
/// few so that a failing receiver runs out of attempts within a test; an attempt may take long (a hanging receiver
/// would hold a lifecycle step that long, if delivery ever ran in one).
/// </summary>
public sealed class WebhookStack : ProvisionerStack
{
    public const int MaxAttempts = 3;

    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks__AllowedHosts__0"] = Receiver.BaseUrl.Authority,
        ["Webhooks__AllowHttp"] = "true",
        ["Webhooks__Timeout"] = "00:00:30",
        ["Webhooks__MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Webhooks__RetryInitialDelay"] = "00:00:00.200",
        ["Webhooks__RetryMaxDelay"] = "00:00:00.500",
        ["Webhooks__MaxConcurrencyPerHost"] = "1",
        ["Webhooks__SecretRotationOverlap"] = "01:00:00",
    };

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
            Receiver = null!;
        }
    }

    /// <summary>A client for a tenant of its own: its first use of webhooks is the test's to see.</summary>
    public async Task<HttpClient> NewTenantAsync()
    {
        var key = await Database.CreateApiKeyAsync("tenant-" + Guid.NewGuid().ToString("N")[..12]);
        return CreateClient(key);
    }

    /// <summary>Polls a delivery until it reaches <paramref name="status"/>.</summary>
    public static async Task<WebhookDeliveryResponse> WaitForDeliveryAsync(HttpClient client, Guid id, WebhookDeliveryStatus status, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var delivery = (await client.GetFromJsonAsync<WebhookDeliveryEnvelope>($"/api/webhook-deliveries/{id}", Json))!.Delivery;
            if (delivery.Status == status)
            {
                return delivery;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Delivery {id} is {delivery.Status} after {delivery.Attempts} attempts ({delivery.LastError}), expected {status}.");
            }

            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookStack>
{
    public const string Name = "webhooks";
}

