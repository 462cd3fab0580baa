using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Problems;

/// <summary>The API alone, reaching its database through a proxy the test can cut.</summary>
public sealed class DatabaseOutageStack : ProvisionerStack
{
    public PausableTcpProxy Proxy { get; private set; } = null!;

    protected override int WorkerCount => 0;

    // Read once, when the processes are started (the database exists by then).
    protected override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
            Proxy ??= PausableTcpProxy.Start(direct.Host!, direct.Port);
            var viaProxy = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = Proxy.Port, Timeout = 3 };
            return new Dictionary<string, string> { ["ConnectionStrings__Provisioner"] = viaProxy.ConnectionString };
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Proxy?.Dispose();
    }
}

/// <summary>While PostgreSQL cannot be reached, the API says so (503 and when to retry), not that it broke (500).</summary>
public sealed class DatabaseOutageTests(DatabaseOutageStack stack) : IClassFixture<DatabaseOutageStack>
{
    [Fact]
    public async Task Requests_WhileTheDatabaseIsDown_Answer503WithRetryAfter_AndWorkAgainOnceItIsBack()
    {
        stack.Proxy.Cut();
        try
        {
            using var create = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser("outage")));
            using var list = await stack.Client.GetAsync("/api/instances");

            foreach (var response in new[] { create, list })
            {
                var text = await response.Content.ReadAsStringAsync();
                response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, text);
                response.Headers.RetryAfter.Should().NotBeNull();
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
                ((string)JsonNode.Parse(text)!["code"]!).Should().Be("database_unavailable");
            }
        }
        finally
        {
            stack.Proxy.Restore();
        }

        // Back: the next requests succeed (the pool's dead connections are replaced).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var again = await stack.Client.GetAsync("/api/instances");
            status = again.StatusCode;
            if (status == HttpStatusCode.OK || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (true);
        status.Should().Be(HttpStatusCode.OK);
    }
}
