using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances;
using Provisioner.Core.Instances;
using Provisioner.Tests.Builders;

namespace Provisioner.Tests.Support;

/// <summary>
/// The whole system for a test class: its own migrated database, the API process and worker processes,
/// the simulated cloud set to boot in about two seconds.
/// </summary>
public class ProvisionerStack : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private readonly List<HostProcess> _workers = [];

    public TestDatabase Database { get; private set; } = null!;
    public HostProcess Api { get; private set; } = null!;
    public IReadOnlyList<HostProcess> Workers => _workers;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The tenant <see cref="Client"/> acts for, and its key.</summary>
    public const string Tenant = "tenant-a";

    public string TenantKey { get; private set; } = null!;

    /// <summary>A key of another tenant, for isolation tests.</summary>
    public string OtherTenantKey { get; private set; } = null!;

    public string AdminKey { get; private set; } = null!;

    /// <summary>Worker processes to start; the API-only stack (0) changes nothing on its own.</summary>
    protected virtual int WorkerCount => 1;

    /// <summary>Settings given to every process, on top of the fast timings.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public virtual async Task InitializeAsync()
    {
        try
        {
            Database = await TestDatabase.CreateMigratedAsync(GetType().Name);
            TenantKey = await Database.CreateApiKeyAsync(Tenant);
            OtherTenantKey = await Database.CreateApiKeyAsync("tenant-b");
            AdminKey = await Database.CreateApiKeyAsync("operators", Provisioner.Core.Tenancy.ApiKeyRole.Admin);
            var environment = Environment();
            Api = await HostProcess.StartAsync("api", RepositoryPaths.ApiDll, environment);
            for (var i = 0; i < WorkerCount; i++)
            {
                await StartWorkerAsync();
            }

            Client = CreateClient(TenantKey);
        }
        catch
        {
            // A fixture whose start failed is not always disposed by the runner: stop what did start.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the API that sends <paramref name="key"/>, or no key at all.</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = Api.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Starts one more worker; each is named in the cluster after its place (worker-1, worker-2, ...).</summary>
    /// <param name="ownSession">In a session of its own, as deploy/local/up.sh starts it (<see cref="HostProcess.StartAsync"/>).</param>
    public async Task<HostProcess> StartWorkerAsync(string? nodeName = null, bool ownSession = false)
    {
        var name = nodeName ?? $"worker-{_workers.Count + 1}";
        var environment = Environment();
        environment["Jobs__NodeName"] = name;
        var worker = await HostProcess.StartAsync(name, RepositoryPaths.WorkerDll, environment, ownSession);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Stops what was started; safe to call again (a failed start has already called it).</summary>
    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        Client = null!;
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        _workers.Clear();
        if (Api is not null)
        {
            await Api.DisposeAsync();
            Api = null!;
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
            Database = null!;
        }
    }

    /// <summary>Everything each process printed, for a failing test's message.</summary>
    public string Logs() =>
        string.Join("\n", new[] { Api }.Concat(_workers).Where(p => p is not null).Select(p => $"===== {p.Name} =====\n{p.Output}"));

    /// <summary>One whole lifecycle of a simulated instance through the API: create, READY, delete, TERMINATED.</summary>
    /// <returns>The instance's id.</returns>
    public async Task<Guid> RunLifecycleAsync(TimeSpan patience)
    {
        using var post = await Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(Json))!.Instance.Id;
        await WaitForStatusAsync(id, InstanceStatus.Ready, patience);
        (await Client.DeleteAsync($"/api/instances/{id}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await WaitForStatusAsync(id, InstanceStatus.Terminated, patience);
        return id;
    }

    /// <param name="client">Another tenant's client; <see cref="Client"/> when null.</param>
    public async Task<InstanceResponse> GetInstanceAsync(Guid id, HttpClient? client = null)
    {
        var envelope = await (client ?? Client).GetFromJsonAsync<InstanceEnvelope>($"/api/instances/{id}", Json);
        return envelope!.Instance;
    }

    /// <summary>Polls the API until the instance reaches <paramref name="status"/>, recording every status seen.</summary>
    public async Task<(InstanceResponse Instance, IReadOnlyList<InstanceStatus> Seen)> WaitForStatusAsync(
        Guid id, InstanceStatus status, TimeSpan timeout, HttpClient? client = null)
    {
        var seen = new List<InstanceStatus>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instance = await GetInstanceAsync(id, client);
            if (seen.Count == 0 || seen[^1] != instance.Status)
            {
                seen.Add(instance.Status);
            }

            if (instance.Status == status)
            {
                return (instance, seen);
            }

            if (InstanceLifecycle.IsFinal(instance.Status) || waited.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Instance {id} is {instance.Status} (seen: {string.Join(" → ", seen)}), expected {status}. Reason: {instance.FailureReason}\n{Logs()}");
            }

            await Task.Delay(100);
        }
    }

    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Provisioner"] = Database.ConnectionString,
            ["Providers__Simulated__BootTime"] = "00:00:01",
            ["Providers__Simulated__ConfigureTime"] = "00:00:01",
            ["Providers__Simulated__ShutdownTime"] = "00:00:00.500",
            ["Lifecycle__ReadyPollInterval"] = "00:00:00.300",
            ["Lifecycle__TerminatePollInterval"] = "00:00:00.300",
            ["Worker__ShutdownTimeout"] = "00:00:10",
            // Fewer job threads than production: several stacks share one test database server and two cores.
            ["Jobs__WorkerCount"] = "4",
            ["Jobs__WebhookWorkerCount"] = "2",
            // Recurring jobs every second or two (sweeps, census, catalog checks) start on time; production looks every 10 s.
            ["Jobs__SchedulePollingInterval"] = "00:00:01",
            // Tests poll hard; the limiter itself is tested by the abuse suite with its own limits.
            ["RateLimits__PermitsPerSecond"] = "10000",
            ["RateLimits__Burst"] = "10000",
            ["RateLimits__AnonymousPermitsPerSecond"] = "10000",
            ["RateLimits__AnonymousBurst"] = "10000",
        };
        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiServices.ConfigureJson(json);
        return json;
    }
}

/// <summary>The API alone, with no worker: nothing changes unless a request changes it.</summary>
public sealed class ApiOnlyStack : ProvisionerStack
{
    protected override int WorkerCount => 0;
}
