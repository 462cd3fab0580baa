using System.Net;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Api.Instances.Waiting;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.HeldReads;

/// <summary>
/// The API alone, no worker: an instance changes only when a test changes its row, so every change a held read sees
/// is one the test made. The fallback poll is set by the subclass: far beyond any wait where a test proves the notice
/// wakes the read, short where it proves a lost notice is still found.
/// </summary>
public abstract class HeldReadStack : ProvisionerStack
{
    protected override int WorkerCount => 0;

    protected abstract TimeSpan FallbackPoll { get; }

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["InstanceWait__FallbackPoll"] = FallbackPoll.ToString("c"),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await WaitForFeedListeningAsync();
    }

    /// <summary>A new instance, and the ETag of its first read.</summary>
    public async Task<(Guid Id, string ETag)> CreateAsync()
    {
        using var created = await Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await created.Content.ReadFromJsonAsync<InstanceEnvelope>(Json))!.Instance.Id;
        using var read = await Client.GetAsync($"/api/instances/{id}");
        read.StatusCode.Should().Be(HttpStatusCode.OK);
        return (id, read.Headers.ETag!.ToString());
    }

    /// <summary>A GET of the instance with If-None-Match and, when given, Prefer.</summary>
    public async Task<HttpResponseMessage> ReadAsync(Guid id, string ifNoneMatch, string? prefer = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation(ConditionalRead.PreferHeader, prefer);
        }

        return await Client.SendAsync(request, cancellationToken);
    }

    /// <summary>A write to the row, as a worker's would be; the trigger announces it on commit.</summary>
    public Task TouchAsync(Guid id) =>
        Database.ExecuteAsync("UPDATE provisioner.instances SET updated_at = updated_at + interval '1 microsecond' WHERE id = $1", id);

    /// <summary>Until the API holds at least <paramref name="count"/> reads, as its metrics count them (admin key).</summary>
    public async Task WaitForHeldReadsAsync(int count)
    {
        using var admin = CreateClient(AdminKey);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (new PrometheusText(await admin.GetStringAsync("/metrics")).Sum("provisioner_instance_held_reads") < count)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), $"the API should hold {count} read(s) within 30 s\n" + Logs());
            await Task.Delay(20);
        }
    }

    /// <summary>A write as a replica applies one: ordinary triggers do not fire, so no notice is sent.</summary>
    public Task TouchUnannouncedAsync(Guid id) => Database.ExecuteAsync($"""
        DO $$ BEGIN
            SET LOCAL session_replication_role = replica;
            UPDATE provisioner.instances SET updated_at = updated_at + interval '1 microsecond' WHERE id = '{id}';
        END $$
        """);

    /// <summary>
    /// Until the API's change feed has its LISTEN in place (the API answers health checks before that): a change
    /// made earlier would be announced to nobody, which is the fallback's case, not the one a test means.
    /// </summary>
    public async Task WaitForFeedListeningAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await Database.ScalarAsync<long>(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND query LIKE 'LISTEN %'",
                   Database.Name, InstanceChangeFeed.ApplicationName) == 0)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the API's change feed should LISTEN within 30 s\n" + Logs());
            await Task.Delay(50);
        }
    }
}

/// <summary>Held reads that only a notice can wake in time: the fallback poll is longer than any wait.</summary>
public sealed class NoticeOnlyStack : HeldReadStack
{
    protected override TimeSpan FallbackPoll => TimeSpan.FromMinutes(5);
}

/// <summary>Held reads that look again every 200 ms without a notice.</summary>
public sealed class FastFallbackStack : HeldReadStack
{
    protected override TimeSpan FallbackPoll => TimeSpan.FromMilliseconds(200);
}
