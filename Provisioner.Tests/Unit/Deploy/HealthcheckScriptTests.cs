using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Unit.Deploy;

/// <summary>The containers' HEALTHCHECK script (bash and /dev/tcp, as the runtime image has no curl), run here against a socket that answers like Kestrel.</summary>
public sealed class HealthcheckScriptTests
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Root, "deploy", "docker", "healthcheck.sh");

    [Theory]
    [InlineData("HTTP/1.1 200 OK", 0)]
    [InlineData("HTTP/1.1 503 Service Unavailable", 1)]
    [InlineData("HTTP/1.1 404 Not Found", 1)]
    public async Task Probe_AnswersByStatus(string statusLine, int expectedExitCode)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = ServeOnceAsync(listener, statusLine);

        var (exitCode, _) = await RunAsync(port);
        var request = await served;

        exitCode.Should().Be(expectedExitCode);
        request.Should().StartWith("GET /health/live HTTP/1.0\r\n");
    }

    [Fact]
    public async Task Probe_NothingListening_IsUnhealthy()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        (await RunAsync(port)).ExitCode.Should().NotBe(0);
    }

    private static async Task<string> ServeOnceAsync(TcpListener listener, string statusLine)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = await listener.AcceptTcpClientAsync(cancel.Token);
        var stream = client.GetStream();
        var buffer = new byte[1024];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancel.Token);
            if (read == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{statusLine}\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\nHealthy"), cancel.Token);
        return request.ToString();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(int port)
    {
        var start = new ProcessStartInfo("bash", [Script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "/health/live"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = await process.StandardError.ReadToEndAsync(cancel.Token);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, output);
    }
}
