using System.Net;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using System.Net.Sockets;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Docs;

/// <summary>
/// The stack the documentation's examples run against: what <c>deploy/local/up.sh</c> starts, with the settings the
/// webhook recipe names (a plain-http receiver on 127.0.0.1 allowed), and a free port for that receiver. It has
/// done some work before the examples run, as a stack has after the quick start, so the metrics examples find
/// series whatever order the files run in.
/// </summary>
public sealed class DocExamplesStack : ProvisionerStack
{
    public int ReceiverPort { get; } = FreePort();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks__AllowedHosts__0"] = $"127.0.0.1:{ReceiverPort}",
        ["Webhooks__AllowHttp"] = "true",
        // The API's instance gauges are counted this often; the default (15 s) would make the metrics example wait.
        ["Telemetry__CensusInterval"] = "00:00:01",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        try
        {
            var created = await Client.PostAsJsonAsync("/api/instances", new
            {
                userId = "docs-warm-up",
                config = new { provider = "SIMULATED", instanceType = "sim.gpu.small", region = "sim-local-1" },
            });
            created.EnsureSuccessStatusCode();
            var envelope = await created.Content.ReadFromJsonAsync<InstanceEnvelope>(Json);
            await WaitForStatusAsync(envelope!.Instance.Id, InstanceStatus.Ready, TimeSpan.FromMinutes(2));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
