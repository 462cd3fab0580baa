using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Provisioner.Api.Problems;

/// <summary>
/// Turns request-reading failures (malformed JSON, a wrong type, an unknown field, no body) into a 400
/// problem naming the field, instead of the framework's empty 400.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        if (QueryParameterRegex().Match(badRequest.Message) is { Success: true } query)
        {
            // A query-string value that does not parse (limit=abc): the caller's query, not its body, is wrong.
            var name = query.Groups["name"].Value;
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = ApiProblems.Build(StatusCodes.Status400BadRequest, ProblemCodes.InvalidQuery, "The query string is invalid.",
                    $"{name}: not a valid value.", [new FieldError(name, ProblemCodes.InvalidValue, "not a valid value")]),
            });
        }

        var json = FindJsonException(badRequest);
        var field = json?.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body";
        var message = json is null
            ? badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "The body must be JSON (Content-Type: application/json)."
                : "The request body is missing or unreadable."
            : JsonErrorWording.Describe(json, field);
        var code = badRequest.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => ProblemCodes.UnsupportedMediaType,
            StatusCodes.Status413PayloadTooLarge => ProblemCodes.PayloadTooLarge,
            _ => json is null ? ProblemCodes.Required : ProblemCodes.MalformedJson,
        };
        if (code == ProblemCodes.PayloadTooLarge)
        {
            message = "The request body is larger than this API accepts.";
        }

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

    [GeneratedRegex("^Failed to bind parameter \"(?:[^\"]*\\s)?(?<name>\\w+)\" from \"")]
    private static partial Regex QueryParameterRegex();
}
