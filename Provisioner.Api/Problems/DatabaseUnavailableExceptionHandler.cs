using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Provisioner.Api.Problems;

/// <summary>
/// PostgreSQL cannot be reached (refused, reset, timed out, shutting down): 503 <c>database_unavailable</c> with
/// <c>Retry-After</c>, so clients wait and retry, instead of 500 <c>internal_error</c>, which says we are broken.
/// Nothing was done: a create is either committed whole or not at all, and its idempotency key makes a retry safe.
/// </summary>
internal sealed class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnreachable(exception))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = ApiProblems.Build(StatusCodes.Status503ServiceUnavailable, ProblemCodes.DatabaseUnavailable, "The service is briefly unavailable.",
                $"The database cannot be reached; nothing was changed. Retry after {(int)RetryAfter.TotalSeconds} s.", []),
        });
    }

    private static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // Transient covers refused and broken connections and timeouts; a server shutting down or not yet
            // accepting connections is class 57P / 08 (connection exception).
            if (e is PostgresException postgres)
            {
                return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal);
            }

            if (e is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
