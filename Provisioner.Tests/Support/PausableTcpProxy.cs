using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Provisioner.Tests.Support;

/// <summary>
/// A TCP forwarder on loopback that a test can cut: <see cref="Cut"/> drops every open connection and refuses new
/// ones (as a database that went down does), <see cref="Restore"/> listens again on the same port.
/// </summary>
public sealed class PausableTcpProxy : IDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;

    private PausableTcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    public int Port { get; private set; }

    public static PausableTcpProxy Start(string targetHost, int targetPort)
    {
        var proxy = new PausableTcpProxy(targetHost, targetPort);
        proxy.Listen(0);
        return proxy;
    }

    /// <summary>Drops every connection and refuses new ones.</summary>
    public void Cut()
    {
        _listener?.Stop();
        _listener = null;
        foreach (var socket in _open.Keys)
        {
            Close(socket);
        }
    }

    public void Restore() => Listen(Port);

    public void Dispose()
    {
        _stopping.Cancel();
        Cut();
        _stopping.Dispose();
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _ = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return; // cut or disposed
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Close(client);
                Close(server);
                continue;
            }

            _open[client] = 0;
            _open[server] = 0;
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The other side went away, or the proxy was cut.
        }

        Close(from);
        Close(to);
    }

    private void Close(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            // A reset, not a polite close: the connection is gone as if the server had died.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
