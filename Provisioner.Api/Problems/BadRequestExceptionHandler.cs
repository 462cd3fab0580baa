using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Provisioner.Api.Problems;

/// <summary>
/// Turns request-reading failures (malformed JSON, a wrong type, an unknown field, no body) into a 400
/// problem naming the field, instead of the framework's empty 400.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var json = FindJsonException(badRequest);
        var field = json?.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body";
        var message = json is null
            ? badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "The body must be JSON (Content-Type: application/json)."
                : "The request body is missing or unreadable."
            : $"The JSON is not valid at '{field}': {FirstSentence(json.Message)}";
        var code = badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType
            ? ProblemCodes.UnsupportedMediaType
            : json is null ? ProblemCodes.Required : ProblemCodes.MalformedJson;

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = ApiProblems.Build(badRequest.StatusCode, code, "The request could not be read.", message,
                [new FieldError(field, code, message)]),
        });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    // System.Text.Json appends "Path: ... | LineNumber: ..." to its messages; the field is reported separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
