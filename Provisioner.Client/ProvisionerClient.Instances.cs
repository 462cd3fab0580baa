using Provisioner.Client.Models;

namespace Provisioner.Client;

/// <summary><c>/api/instances</c>.</summary>
public sealed partial class ProvisionerClient
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Requests a machine in the original design's shape; the API answers at once (the instance is PROVISIONING). Without
    /// <paramref name="idempotencyKey"/> the client makes one, so that its own retries never create a second machine;
    /// pass your own to make retries across processes safe too.
    /// </summary>
    [ApiOperation("POST", "/api/instances")]
    public Task<CreatedInstance> CreateInstanceAsync(CreateInstanceRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        CreateAsync(request, idempotencyKey, cancellationToken);

    /// <summary>Requests a machine in the NovitaAI service's shape (a product by name); same rules as the original design's shape.</summary>
    [ApiOperation("POST", "/api/instances")]
    public Task<CreatedInstance> CreateInstanceAsync(NovitaCreateInstanceRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        CreateAsync(request, idempotencyKey, cancellationToken);

    [ApiOperation("GET", "/api/instances/{id}")]
    public async Task<Instance> GetInstanceAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<InstanceEnvelope>(HttpMethod.Get, $"/api/instances/{id}", null, cancellationToken).ConfigureAwait(false)).Instance;

    /// <summary>One page, newest first.</summary>
    [ApiOperation("GET", "/api/instances")]
    public async Task<InstancePage> ListInstancesAsync(InstanceQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new InstanceQuery();
        var page = await SendAsync<InstanceListEnvelope>(HttpMethod.Get,
            "/api/instances" + Query(("userId", query.UserId), ("status", query.Status), ("limit", query.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cursor", query.Cursor)),
            null, cancellationToken).ConfigureAwait(false);
        return new InstancePage(page.Instances, page.Count, page.NextCursor);
    }

    /// <summary>Every instance matching <paramref name="query"/>, page after page.</summary>
    public async IAsyncEnumerable<Instance> ListAllInstancesAsync(InstanceQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new InstanceQuery();
        while (true)
        {
            var page = await ListInstancesAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                yield return instance;
            }

            if (page.NextCursor is null)
            {
                yield break;
            }

            query = query with { Cursor = page.NextCursor };
        }
    }

    /// <param name="groupBy"><c>day</c>, <c>provider</c>, <c>instanceType</c>, <c>region</c> or <c>userId</c>.</param>
    [ApiOperation("GET", "/api/instances/stats")]
    public async Task<InstanceStatistics> GetInstanceStatisticsAsync(string? userId = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        string? groupBy = null, CancellationToken cancellationToken = default) =>
        (await SendAsync<StatisticsEnvelope>(HttpMethod.Get,
            "/api/instances/stats" + Query(("userId", userId), ("from", Timestamp(from)), ("to", Timestamp(to)), ("groupBy", groupBy)),
            null, cancellationToken).ConfigureAwait(false)).Statistics;

    /// <summary>The instance's lifecycle timeline, oldest first.</summary>
    [ApiOperation("GET", "/api/instances/{id}/events")]
    public async Task<IReadOnlyList<InstanceEvent>> GetInstanceEventsAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<EventsEnvelope>(HttpMethod.Get, $"/api/instances/{id}/events", null, cancellationToken).ConfigureAwait(false)).Events;

    /// <summary>Every offer the launch tried or skipped, with what each cloud said.</summary>
    [ApiOperation("GET", "/api/instances/{id}/attempts")]
    public async Task<IReadOnlyList<LaunchAttempt>> GetLaunchAttemptsAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<AttemptsEnvelope>(HttpMethod.Get, $"/api/instances/{id}/attempts", null, cancellationToken).ConfigureAwait(false)).Attempts;

    /// <summary>Every machine the instance had (relaunched after interruptions), oldest first, each with its billed time and cost.</summary>
    [ApiOperation("GET", "/api/instances/{id}/machines")]
    public async Task<IReadOnlyList<InstanceMachine>> GetInstanceMachinesAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<MachinesEnvelope>(HttpMethod.Get, $"/api/instances/{id}/machines", null, cancellationToken).ConfigureAwait(false)).Machines;

    /// <summary>The machine is in use: READY becomes RUNNING and the idle limit starts again.</summary>
    [ApiOperation("POST", "/api/instances/{id}/heartbeat")]
    public async Task<Instance> SendHeartbeatAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await SendAsync<InstanceEnvelope>(HttpMethod.Post, $"/api/instances/{id}/heartbeat", null, cancellationToken).ConfigureAwait(false)).Instance;

    /// <summary>Stops the machine; terminating one that already ended changes nothing and is not an error.</summary>
    [ApiOperation("DELETE", "/api/instances/{id}")]
    public async Task<InstanceChange> TerminateInstanceAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var envelope = await SendAsync<InstanceEnvelope>(HttpMethod.Delete, $"/api/instances/{id}", null, cancellationToken).ConfigureAwait(false);
        return new InstanceChange(envelope.Instance, envelope.Message);
    }

    private async Task<CreatedInstance> CreateAsync(object body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var key = idempotencyKey ?? "client-" + Guid.NewGuid().ToString("N");
        var envelope = await SendAsync<InstanceEnvelope>(HttpMethod.Post, "/api/instances", body, cancellationToken,
            new Dictionary<string, string> { [IdempotencyKeyHeader] = key }).ConfigureAwait(false);
        return new CreatedInstance
        {
            Instance = envelope.Instance,
            Message = envelope.Message,
            WebhookSecret = envelope.WebhookSecret,
            EstimatedReadyAt = envelope.EstimatedReadyAt,
            IdempotencyKey = key,
        };
    }

    private static string? Timestamp(DateTimeOffset? value) => value?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record InstanceEnvelope(Instance Instance, string? Message, string? WebhookSecret, DateTimeOffset? EstimatedReadyAt);

    private sealed record InstanceListEnvelope(IReadOnlyList<Instance> Instances, int Count, string? NextCursor);

    private sealed record StatisticsEnvelope(InstanceStatistics Statistics);

    private sealed record EventsEnvelope(IReadOnlyList<InstanceEvent> Events);

    private sealed record AttemptsEnvelope(IReadOnlyList<LaunchAttempt> Attempts);

    private sealed record MachinesEnvelope(IReadOnlyList<InstanceMachine> Machines);
}
