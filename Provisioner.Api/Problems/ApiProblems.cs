using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Provisioner.Core.Budgets;

namespace Provisioner.Api.Problems;

/// <summary>RFC 9457 problem responses, each with a stable <c>code</c> and, where a field is at fault, the field.</summary>
public static class ApiProblems
{
    public const string TypeBase = "https://provisioner.dev/problems/";

    public static ProblemHttpResult Validation(IReadOnlyList<FieldError> errors) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is invalid.",
            string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")), errors);

    public static ProblemHttpResult InvalidQuery(string field, string code, string message) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidQuery, "The query string is invalid.",
            $"{field}: {message}", [new FieldError(field, code, message)]);

    public static ProblemHttpResult InstanceNotFound(Guid id) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.InstanceNotFound, "No such instance.",
            $"No instance with id '{id}' exists.", []);

    public static ProblemHttpResult InvalidHeader(string header, string message) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.InvalidHeader, "A request header is invalid.",
            $"{header}: {message}", [new FieldError(header, ProblemCodes.InvalidValue, message)]);

    /// <summary>Offers fit the request's GPUs, but none at or below its price ceiling.</summary>
    public static ProblemHttpResult NoOfferWithinPrice(decimal maxPricePerHour) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.NoOfferWithinPrice, "No offer is within the price.",
            $"Offers fit the GPUs asked for, but none costs {maxPricePerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} USD per hour or less.",
            [new FieldError("maxPricePerHour", ProblemCodes.NoOfferWithinPrice, "no fitting offer is this cheap")]);

    /// <summary>Nothing fits the request's requirements any more (the catalog or settings changed since validation).</summary>
    public static ProblemHttpResult NoOfferFits(string message) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.NoOfferFits, "No offer fits the requirements.", message,
            [new FieldError("config.requirements", ProblemCodes.NoOfferFits, message)]);

    public static ProblemHttpResult IdempotencyKeyReused(string key) =>
        Create(StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused, "The idempotency key was used for another request.",
            $"Idempotency-Key '{key}' was first sent with a different request body; use a new key for a new request.",
            [new FieldError("Idempotency-Key", ProblemCodes.IdempotencyKeyReused, "already used for a different request")]);

    public static ProblemHttpResult InstanceNotRunning(Guid id, string status) =>
        Create(StatusCodes.Status409Conflict, ProblemCodes.InstanceNotRunning, "The instance is not running.",
            $"Instance '{id}' is {status}; heartbeats are accepted only while it is READY or RUNNING.", []);

    public static ProblemHttpResult WebhookUrlNotAllowed(string field, string reason) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.WebhookUrlNotAllowed, "The webhook URL is not allowed.",
            $"{field}: {reason}", [new FieldError(field, ProblemCodes.WebhookUrlNotAllowed, reason)]);

    public static ProblemHttpResult BudgetExceeded(BudgetRefusal refusal, string message)
    {
        var problem = Build(StatusCodes.Status409Conflict, ProblemCodes.BudgetExceeded, "The budget does not allow this instance.", message, []);
        problem.Extensions["worstCase"] = refusal.WorstCase;
        problem.Extensions["perInstanceCap"] = refusal.PerInstanceCap;
        problem.Extensions["monthlyLimit"] = refusal.MonthlyLimit;
        problem.Extensions["committed"] = refusal.Committed;
        problem.Extensions["remaining"] = refusal.Remaining;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult BudgetNotSet() =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.BudgetNotSet, "No budget is set.",
            "This tenant has no budget; set one with PUT /api/budget.", []);

    public static ProblemHttpResult WebhookNotSet() =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.WebhookNotSet, "No webhook is set.",
            "This tenant has no default webhook; set one with PUT /api/webhook.", []);

    public static ProblemHttpResult DeliveryNotFound(Guid id) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.DeliveryNotFound, "No such webhook delivery.",
            $"No webhook delivery with id '{id}' exists.", []);

    public static ProblemHttpResult DeliveryInProgress(Guid id) =>
        Create(StatusCodes.Status409Conflict, ProblemCodes.DeliveryInProgress, "The delivery is still being tried.",
            $"Webhook delivery '{id}' has attempts left; it can be redelivered once it has succeeded or failed.", []);

    public static ProblemDetails Build(int status, string code, string title, string detail, IReadOnlyList<FieldError> errors)
    {
        var problem = new ProblemDetails
        {
            Type = TypeBase + code.Replace('_', '-'),
            Title = title,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        if (errors.Count > 0)
        {
            problem.Extensions["field"] = errors[0].Field;
            problem.Extensions["errors"] = errors;
        }

        return problem;
    }

    /// <summary>
    /// Writes a problem from middleware (authentication, rate limiting) as <c>application/problem+json</c> whatever
    /// the caller's Accept header says: a client that asks only for HTML still learns why it was refused.
    /// </summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        // What CustomizeProblemDetails adds, for when no problem writer accepts the request and the JSON is written as is.
        problem.Instance ??= context.Request.Path;
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    private static ProblemHttpResult Create(int status, string code, string title, string detail, IReadOnlyList<FieldError> errors) =>
        TypedResults.Problem(Build(status, code, title, detail, errors));
}
