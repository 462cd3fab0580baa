using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.Tests.Fakes.Webhooks;

/// <summary>
/// A real HTTP receiver on loopback that records every webhook it is sent. Each path (one per test) answers as its
/// <see cref="ReceiverBehaviour"/> says: always 2xx, fail the first few, always fail, or hang until released.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ReceiverBehaviour> _behaviours = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly CancellationTokenSource _stopping = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The base URL, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>A new path answering as <paramref name="behaviour"/> says; the URL to register.</summary>
    public string Endpoint(ReceiverBehaviour behaviour)
    {
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        _behaviours[path] = behaviour;
        return new Uri(BaseUrl, path).ToString();
    }

    public void Change(string url, ReceiverBehaviour behaviour) => _behaviours[new Uri(url).AbsolutePath] = behaviour;

    /// <summary>What <paramref name="url"/> received, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> ReceivedAt(string url) =>
        [.. _received.Where(r => r.Path == new Uri(url).AbsolutePath)];

    /// <summary>Waits until <paramref name="url"/> has received <paramref name="count"/> requests, or fails at the deadline.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(string url, int count, TimeSpan timeout) =>
        WaitForAsync(url, received => received.Count >= count, $"{count} webhooks", timeout);

    /// <summary>Waits until what <paramref name="url"/> received satisfies <paramref name="done"/>, or fails at the deadline naming <paramref name="expected"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(
        string url, Func<IReadOnlyList<ReceivedWebhook>, bool> done, string expected, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!done(ReceivedAt(url)))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"{url} received {ReceivedAt(url).Count} webhooks within {timeout}, expected {expected}.");
            }

            await Task.Delay(50);
        }

        return ReceivedAt(url);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var path = context.Request.Path.Value ?? string.Empty;
        var received = new ReceivedWebhook(
            path,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            System.Text.Encoding.UTF8.GetString(buffer.ToArray()),
            TimeProvider.System.GetUtcNow());
        _received.Enqueue(received);

        var behaviour = _behaviours.GetValueOrDefault(path, ReceiverBehaviour.NotFound);
        var count = _received.Count(r => r.Path == path);
        if (behaviour.Hang is { } hang)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.WhenAny(hang.Task, Task.Delay(Timeout.Infinite, linked.Token));
        }

        context.Response.StatusCode = count <= behaviour.FailFirst ? behaviour.FailureStatus : behaviour.Status;
        if (behaviour.RawBody is { } raw)
        {
            // Declaring more than is sent makes Kestrel end the response early: the receiver's answer breaks off.
            context.Response.ContentLength = behaviour.DeclaredLength ?? raw.Length;
            await context.Response.Body.WriteAsync(raw);
            return;
        }

        await context.Response.WriteAsync(behaviour.Body ?? $"received #{count}");
    }
}

/// <summary>How an endpoint of the <see cref="WebhookReceiver"/> answers.</summary>
public sealed record ReceiverBehaviour(
    int Status = 200, int FailFirst = 0, int FailureStatus = 500, string? Body = null, TaskCompletionSource? Hang = null,
    byte[]? RawBody = null, int? DeclaredLength = null)
{
    public static readonly ReceiverBehaviour Ok = new();
    public static readonly ReceiverBehaviour NotFound = new(404);

    public static ReceiverBehaviour AlwaysFail(int status = 503) => new(status);

    public static ReceiverBehaviour FailFirstThenOk(int failures) => new(FailFirst: failures);

    /// <summary>Answers <paramref name="status"/> with exactly these bytes (a NUL among them, say).</summary>
    public static ReceiverBehaviour Bytes(byte[] body, int status = 200) => new(status, RawBody: body);

    /// <summary>Answers 200 with a Content-Length of <paramref name="declared"/> but sends only <paramref name="body"/>, then closes.</summary>
    public static ReceiverBehaviour EndsEarly(byte[] body, int declared) => new(RawBody: body, DeclaredLength: declared);

    /// <summary>Holds each request open until <paramref name="release"/> completes (or the receiver stops).</summary>
    public static ReceiverBehaviour HangUntil(TaskCompletionSource release) => new(Hang: release);
}

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
