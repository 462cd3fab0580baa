namespace Provisioner.Api.Problems;

/// <summary>
/// Refusals every endpoint shares, made before routing: a URL longer than <see cref="MaxUrlLength"/> (414, with a
/// problem; Kestrel's own refusal, far above this, has no body), and a control character in the query string (400:
/// PostgreSQL refuses NUL in text, so a NUL reaching a query answered 500).
/// </summary>
internal static class RequestGuards
{
    /// <summary>The longest path and query accepted; no endpoint needs more than a fraction of it.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Kestrel's request-line limit, kept well above <see cref="MaxUrlLength"/> so that the refusal is ours.</summary>
    public const int KestrelRequestLineLimit = 64 * 1024;

    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (request.Path.Value?.Length + request.QueryString.Value?.Length > MaxUrlLength)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            await ApiProblems.WriteAsync(context, ApiProblems.Build(StatusCodes.Status414UriTooLong, ProblemCodes.UriTooLong, "The URL is too long.",
                $"Path and query may be at most {MaxUrlLength} characters.", []));
            return;
        }

        foreach (var (name, values) in request.Query)
        {
            if (name.Any(char.IsControl) || values.Any(v => v is not null && v.Any(char.IsControl)))
            {
                var field = name.Any(char.IsControl) ? "query" : name;
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await ApiProblems.WriteAsync(context, ApiProblems.Build(StatusCodes.Status400BadRequest, ProblemCodes.InvalidQuery, "The query string is invalid.",
                    $"{field}: control characters are not accepted.", [new FieldError(field, ProblemCodes.InvalidCharacters, "control characters are not accepted")]));
                return;
            }
        }

        await next();
    }
}
