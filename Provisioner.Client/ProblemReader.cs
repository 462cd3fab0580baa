using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Provisioner.Client;

/// <summary>Turns an unsuccessful answer into <see cref="ProvisionerProblemException"/>, problem document or not.</summary>
internal static class ProblemReader
{
    public static async Task<ProvisionerProblemException> ReadAsync(HttpResponseMessage response, TimeProvider clock, CancellationToken cancellationToken)
    {
        var retryAfter = RetryAfterOf(response, clock);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && String(root, "code") is { } code)
            {
                var errors = root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(e => new FieldProblem(String(e, "field") ?? "", String(e, "code") ?? "", String(e, "message") ?? "")).ToList()
                    : [];
                return new ProvisionerProblemException(response.StatusCode, code, String(root, "title"), String(root, "detail"),
                    String(root, "field"), errors, String(root, "traceId"), retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): the status alone says what happened.
        }

        var excerpt = text.Length > 200 ? text[..200] : text;
        return new ProvisionerProblemException(response.StatusCode, $"http_{(int)response.StatusCode}", response.ReasonPhrase,
            excerpt.Length > 0 ? excerpt : null, null, [], null, retryAfter);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>Retry-After</c> as seconds or as an HTTP date (RFC 9110 allows both).</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider clock)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        // Some proxies send a fractional number, which the typed header refuses.
        return response.Headers.TryGetValues("Retry-After", out var raw)
            && double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
