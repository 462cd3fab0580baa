using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Provisioner.Client;

/// <summary>
/// A typed client of the Provisioner API. Every method is one operation of the OpenAPI document (see
/// <see cref="ApiOperationAttribute"/>); a problem answer is thrown as <see cref="ProvisionerProblemException"/>;
/// 429 and 503 answers are retried, waiting as <c>Retry-After</c> says. Thread-safe; keep one per API and key.
/// </summary>
public sealed partial class ProvisionerClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ProvisionerClientOptions _options;

    /// <summary>A client with an <see cref="HttpClient"/> of its own, disposed with it.</summary>
    public ProvisionerClient(ProvisionerClientOptions options)
        : this(new HttpClient(), options) => _ownsHttp = true;

    /// <summary>A client over <paramref name="http"/> (e.g. from IHttpClientFactory), which the caller keeps owning.</summary>
    public ProvisionerClient(HttpClient http, ProvisionerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        if (options.BaseAddress is null && http.BaseAddress is null)
        {
            throw new ArgumentException("Give the API's address: options.BaseAddress or the HttpClient's BaseAddress.", nameof(options));
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendRawAsync(method, path, body, headers, cancellationToken).ConfigureAwait(false);
        var value = await response.Content.ReadFromJsonAsync<T>(ClientJson.Options, cancellationToken).ConfigureAwait(false);
        return value ?? throw new JsonException($"{method} {path} answered {(int)response.StatusCode} without a body.");
    }

    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends, retrying 429 and 503 up to <see cref="ProvisionerClientOptions.MaxRetries"/> times. Each retry is a new
    /// request with the same body and headers (a create keeps its Idempotency-Key, so a retry never makes a second machine).
    /// </summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body,
        IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, Address(path));
            if (_options.ApiKey is { Length: > 0 } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("application/problem+json");
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: ClientJson.Options);
            }

            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            // 304 answers a conditional read (If-None-Match): the caller's version is current.
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
            {
                return response;
            }

            using (response)
            {
                var problem = await ProblemReader.ReadAsync(response, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                var delay = RetryDelay(response.StatusCode, problem.RetryAfter, attempt);
                if (delay is null)
                {
                    throw problem;
                }

                await Task.Delay(delay.Value, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How long to wait before retrying, or null to give up: only 429 and 503 are retried.</summary>
    private TimeSpan? RetryDelay(HttpStatusCode status, TimeSpan? retryAfter, int attempt)
    {
        if (status is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt >= _options.MaxRetries)
        {
            return null;
        }

        if (retryAfter is { } asked)
        {
            return asked <= _options.RetryMaxDelay ? asked : null;
        }

        var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt);
        return backoff < _options.RetryMaxDelay ? backoff : _options.RetryMaxDelay;
    }

    private Uri Address(string path)
    {
        var root = _options.BaseAddress ?? _http.BaseAddress!;
        return new Uri(root, path);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>A query string of the parameters that have values.</summary>
    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Escape(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}
