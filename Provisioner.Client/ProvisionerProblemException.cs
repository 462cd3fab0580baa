using System.Net;

namespace Provisioner.Client;

/// <summary>
/// The API refused a request with an RFC 9457 problem. Branch on <see cref="Code"/> (stable, e.g.
/// <c>instance_not_found</c>, <c>budget_exceeded</c>) and <see cref="Field"/> (the first field at fault), never on the text.
/// </summary>
public sealed class ProvisionerProblemException : Exception
{
    public ProvisionerProblemException(HttpStatusCode status, string code, string? title, string? detail, string? field,
        IReadOnlyList<FieldProblem> errors, string? traceId, TimeSpan? retryAfter)
        : base($"{(int)status} {code}: {detail ?? title}")
    {
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
        Field = field;
        Errors = errors;
        TraceId = traceId;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The problem's stable code; <c>http_&lt;status&gt;</c> when the answer was not a problem document.</summary>
    public string Code { get; }

    public string? Title { get; }

    public string? Detail { get; }

    /// <summary>The first field, query parameter or header at fault, as the request named it (<c>config.instanceType</c>).</summary>
    public string? Field { get; }

    /// <summary>Every field at fault, with its own code.</summary>
    public IReadOnlyList<FieldProblem> Errors { get; }

    /// <summary>The API's trace id for this request: quote it to an operator.</summary>
    public string? TraceId { get; }

    /// <summary>What the answer's <c>Retry-After</c> asked for (429, 503), when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>One field at fault: its path, its own code, and why.</summary>
public sealed record FieldProblem(string Field, string Code, string Message);
