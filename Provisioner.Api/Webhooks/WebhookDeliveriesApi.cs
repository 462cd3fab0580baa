using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Webhooks;

/// <summary><c>/api/webhook-deliveries</c>: what was sent where, every attempt, and a second round for one that ended.</summary>
public static class WebhookDeliveriesApi
{
    public static IEndpointRouteBuilder MapWebhookDeliveriesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/webhook-deliveries").WithTags("Webhooks").RequireAuthorization(Policies.Tenant);
        api.MapGet("/", ListAsync).WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries, newest first, by instance and outcome (pending, succeeded, failed), paged with a cursor.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetWebhookDelivery").WithSummary("One delivery with every attempt made at it.");
        api.MapPost("/{id:guid}/redeliver", RedeliverAsync).WithName("RedeliverWebhook")
            .WithSummary("Send a delivery that succeeded or failed again: same webhook-id, same body, a new round of attempts.");
        return endpoints;
    }

    private static async Task<Results<Ok<WebhookDeliveryListEnvelope>, ProblemHttpResult>> ListAsync(
        Guid? instanceId, string? outcome, int? limit, string? cursor,
        WebhookDeliveryQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        WebhookDeliveryStatus? status = null;
        if (outcome is not null)
        {
            if (!EnumValue.TryParse<WebhookDeliveryStatus>(outcome, out var parsed))
            {
                return ApiProblems.InvalidQuery("outcome", ProblemCodes.InvalidValue, "Unknown outcome. Use one of: pending, succeeded, failed.");
            }

            status = parsed;
        }

        if (limit is < 1 or > InstancesApi.MaxPageSize)
        {
            return ApiProblems.InvalidQuery("limit", ProblemCodes.OutOfRange, $"limit must be between 1 and {InstancesApi.MaxPageSize}.");
        }

        ListCursor? after = null;
        if (cursor is not null)
        {
            if (!ListCursor.TryDecode(cursor, out var decoded))
            {
                return ApiProblems.InvalidQuery("cursor", ProblemCodes.InvalidValue, "cursor is not one this API returned.");
            }

            after = decoded;
        }

        var (page, next) = await queries.ListAsync(user.Tenant(), instanceId, status, limit ?? InstancesApi.DefaultPageSize, after, cancellationToken);
        return TypedResults.Ok(new WebhookDeliveryListEnvelope(true, [.. page.Select(d => WebhookDeliveryResponse.From(d))], page.Count, next?.Encode()));
    }

    private static async Task<Results<Ok<WebhookDeliveryEnvelope>, ProblemHttpResult>> GetAsync(
        Guid id, WebhookDeliveryQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await queries.FindAsync(user.Tenant(), id, cancellationToken) is { } found
            ? TypedResults.Ok(new WebhookDeliveryEnvelope(true, WebhookDeliveryResponse.From(found.Delivery, found.Attempts)))
            : ApiProblems.DeliveryNotFound(id);

    private static async Task<Results<Accepted<WebhookDeliveryEnvelope>, ProblemHttpResult>> RedeliverAsync(
        Guid id, WebhookDeliveryCommands commands, WebhookDeliveryQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        switch (await commands.RedeliverAsync(user.Tenant(), id, cancellationToken))
        {
            case RedeliveryResult.NotFound:
                return ApiProblems.DeliveryNotFound(id);
            case RedeliveryResult.StillPending:
                return ApiProblems.DeliveryInProgress(id);
        }

        var (delivery, attempts) = (await queries.FindAsync(user.Tenant(), id, cancellationToken))!.Value;
        return TypedResults.Accepted($"/api/webhook-deliveries/{id}", new WebhookDeliveryEnvelope(true, WebhookDeliveryResponse.From(delivery, attempts)));
    }
}
