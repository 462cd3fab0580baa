using System.Net.Sockets;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// The one HTTP client deliveries use. It resolves and vets the target's addresses itself at every new connection
/// (the check at registration could be stale: DNS rebinding), never follows redirects, and uses no proxy (a proxy
/// would connect on our behalf to whatever the name resolves to there).
/// </summary>
public sealed class WebhookHttpClient(WebhookTargetPolicy policy) : IDisposable
{
    public HttpClient Client { get; } = Create(policy);

    public void Dispose() => Client.Dispose();

    private static HttpClient Create(WebhookTargetPolicy policy) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await policy.ResolveAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        // Each attempt sets its own deadline.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
