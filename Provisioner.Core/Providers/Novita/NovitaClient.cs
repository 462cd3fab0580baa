using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// The calls the adapter makes to Novita's v1 GPU instance API, over one <see cref="HttpClient"/>: a bearer key on each,
/// JSON both ways, every failure classified by <see cref="NovitaErrorClassifier"/> before it leaves. Nothing is retried
/// here: retries belong to the resilience pipeline around the adapter.
/// </summary>
internal sealed class NovitaClient(HttpClient http, IOptions<NovitaOptions> options, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private NovitaOptions Settings => options.Value;

    public async Task<IReadOnlyList<NovitaProduct>> ProductsAsync(string? clusterId, CancellationToken cancellationToken)
    {
        var query = clusterId is null ? "products" : $"products?clusterId={Uri.EscapeDataString(clusterId)}";
        return (await SendAsync<NovitaProducts>(HttpMethod.Get, query, null, cancellationToken))?.Data ?? [];
    }

    public async Task<IReadOnlyList<NovitaCluster>> ClustersAsync(CancellationToken cancellationToken) =>
        (await SendAsync<NovitaClusters>(HttpMethod.Get, "clusters", null, cancellationToken))?.Data ?? [];

    public async Task<NovitaTemplate?> TemplateAsync(string templateId, CancellationToken cancellationToken) =>
        (await SendAsync<NovitaTemplateAnswer>(HttpMethod.Get, $"template?templateId={Uri.EscapeDataString(templateId)}", null, cancellationToken))?.Template;

    public async Task<string> CreateAsync(NovitaCreateRequest request, CancellationToken cancellationToken) =>
        (await SendAsync<NovitaCreated>(HttpMethod.Post, "gpu/instance/create", request, cancellationToken))?.Id
            ?? throw NovitaErrorClassifier.Classify("EMPTY_ANSWER", "Novita accepted the create but named no instance id.", 500);

    /// <summary>The instance, or null when Novita does not know it.</summary>
    public async Task<NovitaInstance?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<NovitaInstance>(HttpMethod.Get, $"gpu/instance?instanceId={Uri.EscapeDataString(instanceId)}", null, cancellationToken);
        }
        catch (CloudProviderException error) when (error.Kind == CloudErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>One page (1-based) of the instances whose name contains <paramref name="name"/> (Novita matches fuzzily).</summary>
    public async Task<NovitaInstances> ListAsync(string name, int pageNum, int pageSize, CancellationToken cancellationToken) =>
        await SendAsync<NovitaInstances>(HttpMethod.Get,
            $"gpu/instances?pageSize={pageSize}&pageNum={pageNum}&name={Uri.EscapeDataString(name)}", null, cancellationToken)
        ?? new NovitaInstances([], 0);

    public Task DeleteAsync(string instanceId, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(HttpMethod.Post, "gpu/instance/delete", new { instanceId }, cancellationToken);

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Settings.Endpoint, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Settings.ResolveApiKey());
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.CallTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw ErrorOf(response, text);
            }

            // Delete and stop answer an empty 200 (or {}): nothing to read.
            return string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw NovitaErrorClassifier.Transport(error, timedOut: true);
        }
        catch (HttpRequestException error)
        {
            throw NovitaErrorClassifier.Transport(error, timedOut: false);
        }
        catch (JsonException error)
        {
            // A proxy's page or a half-written answer: the call may succeed when made again.
            throw NovitaErrorClassifier.Classify("MALFORMED_ANSWER", error.Message, 502, inner: error);
        }
    }

    /// <summary>Novita's error body (<c>{"code","reason","message"}</c>; the shape is not documented, so anything else falls back to the status).</summary>
    private CloudProviderException ErrorOf(HttpResponseMessage response, string text)
    {
        NovitaErrorBody? body = null;
        try
        {
            body = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<NovitaErrorBody>(text, Json);
        }
        catch (JsonException)
        {
            // Not Novita's own error (a gateway's page): the status decides.
        }

        var status = (int)response.StatusCode;
        var code = body?.Reason is { Length: > 0 } reason ? reason : $"Http{status}";
        var message = body?.Message is { Length: > 0 } said ? said : response.ReasonPhrase ?? code;
        return NovitaErrorClassifier.Classify(code, message, status, NovitaErrorClassifier.RetryAfterOf(response, clock.GetUtcNow()));
    }
}
