using Provisioner.Client;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Client;

/// <summary>
/// The system with one worker, for the .NET client and the CLI, as their users run them: over HTTP with a key. Webhooks
/// may go to loopback over http, where <see cref="VerifyingWebhookReceiver"/> checks them as a user's receiver would.
/// </summary>
public sealed class ClientStack : ProvisionerStack
{
    public VerifyingWebhookReceiver Receiver { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        // Started before the stack reads its settings: only its own host:port is allowed (AllowedHosts is host:port now).
        ["Webhooks__AllowedHosts__0"] = Receiver.BaseUrl.Authority,
        ["Webhooks__AllowHttp"] = "true",
        ["Webhooks__RetryInitialDelay"] = "00:00:00.200",
        ["Webhooks__RetryMaxDelay"] = "00:00:00.500",
    };

    public override async Task InitializeAsync()
    {
        Receiver = await VerifyingWebhookReceiver.StartAsync();
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

    /// <summary>A client of the API sending <paramref name="key"/> (the stack's tenant when null).</summary>
    public ProvisionerClient NewClient(string? key = null, int maxRetries = 4) =>
        new(new ProvisionerClientOptions { BaseAddress = Api.BaseAddress, ApiKey = key ?? TenantKey, MaxRetries = maxRetries });

    /// <summary>A key of a tenant of its own, whose first use of webhooks is the test's to see.</summary>
    public Task<string> NewTenantKeyAsync() => Database.CreateApiKeyAsync("tenant-" + Guid.NewGuid().ToString("N")[..12]);
}

[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<ClientStack>
{
    public const string Name = "client";
}
