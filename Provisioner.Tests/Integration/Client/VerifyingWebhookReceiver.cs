using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Provisioner.Client.Waiting;
using Provisioner.Client.Webhooks;

namespace Provisioner.Tests.Integration.Client;

/// <summary>
/// A webhook receiver written as the client's README tells a user to write one: an HTTP endpoint on loopback that
/// verifies each request with <see cref="WebhookVerifier"/>, answers 401 to what fails, and tells waits through an
/// <see cref="InstanceChangeSignal"/>. Each path has its own secrets (one tenant each).
/// </summary>
public sealed class VerifyingWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string[]> _secrets = new();
    private readonly ConcurrentQueue<(string Path, WebhookEvent Event)> _verified = new();
    private readonly ConcurrentQueue<(string Path, string Reason)> _rejected = new();

    private VerifyingWebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public InstanceChangeSignal Signal { get; } = new();

    public static async Task<VerifyingWebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new VerifyingWebhookReceiver(app);
        app.MapPost("/{**path}", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>A new path; until <see cref="Trust"/> names its secret, everything sent there is rejected.</summary>
    public string NewEndpoint() => new Uri(BaseUrl, "/hooks/" + Guid.NewGuid().ToString("N")).ToString();

    public void Trust(string url, params string[] secrets) => _secrets[new Uri(url).AbsolutePath] = secrets;

    public IReadOnlyList<WebhookEvent> VerifiedAt(string url) => [.. _verified.Where(v => v.Path == new Uri(url).AbsolutePath).Select(v => v.Event)];

    public IReadOnlyList<string> RejectedAt(string url) => [.. _rejected.Where(r => r.Path == new Uri(url).AbsolutePath).Select(r => r.Reason)];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (!_secrets.TryGetValue(path, out var secrets))
        {
            _rejected.Enqueue((path, "no secret known yet"));
            return Results.Unauthorized();
        }

        try
        {
            var verified = new WebhookVerifier(secrets).Verify(name => context.Request.Headers[name].FirstOrDefault(), body);
            _verified.Enqueue((path, verified));
            Signal.Notify(verified);
            return Results.NoContent();
        }
        catch (WebhookVerificationException refused)
        {
            _rejected.Enqueue((path, refused.Message));
            return Results.Unauthorized();
        }
    }
}
