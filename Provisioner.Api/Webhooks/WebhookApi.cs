using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Ops.Actions;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Operations;
using Provisioner.Core.Webhooks;

namespace Provisioner.Api.Webhooks;

/// <summary>
/// <c>/api/webhook</c>: a tenant's default webhook (for instances created without their own) and its signing
/// secret, which is shown once when made and can only be rotated after.
/// </summary>
public static class WebhookApi
{
    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/webhook").WithTags("Webhooks").RequireAuthorization(Policies.Tenant);
        api.MapGet("/", GetAsync).WithName("GetWebhook").WithSummary("The default webhook and when its secret was made (never the secret).");
        api.MapPut("/", SetAsync)
            .AddEndpointFilter<ValidationFilter<SetWebhookRequest>>()
            .WithName("SetWebhook")
            .WithSummary("Set the default webhook; the first use of webhooks answers with the signing secret, once.");
        api.MapDelete("/", RemoveAsync).WithName("RemoveWebhook").WithSummary("Remove the default webhook (the secret stays).");
        api.MapPost("/secret", RotateSecretAsync).WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret, shown once; the previous one keeps signing for Webhooks:SecretRotationOverlap.");
        return endpoints;
    }

    private static async Task<Results<Ok<WebhookSettingsEnvelope>, ProblemHttpResult>> GetAsync(
        TenantWebhookCommands webhooks, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.FindAsync(user.Tenant(), cancellationToken);
        return webhook is null
            ? ApiProblems.WebhookNotSet()
            : TypedResults.Ok(new WebhookSettingsEnvelope(true, WebhookSettingsResponse.From(webhook, clock.GetUtcNow())));
    }

    private static async Task<Results<Ok<WebhookSettingsEnvelope>, ProblemHttpResult>> SetAsync(
        SetWebhookRequest request, TenantWebhookCommands webhooks, WebhookTargetPolicy targets, TimeProvider clock,
        AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await targets.CheckAsync(request.Url!, cancellationToken) is { Allowed: false } refused)
        {
            return ApiProblems.WebhookUrlNotAllowed("url", refused.Reason!);
        }

        var before = await webhooks.FindAsync(user.Tenant(), cancellationToken);
        var (webhook, newSecret) = await webhooks.SetTargetAsync(user.Tenant(), request.Url!, request.Events, cancellationToken);
        await audit.RecordAsync(user, OpsActions.SetWebhook, user.Tenant(), null, AuditTrail.Change(Describe(before), Describe(webhook)), cancellationToken);
        return TypedResults.Ok(new WebhookSettingsEnvelope(true, WebhookSettingsResponse.From(webhook, clock.GetUtcNow(), newSecret)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        TenantWebhookCommands webhooks, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var before = await webhooks.FindAsync(user.Tenant(), cancellationToken);
        if (!await webhooks.RemoveTargetAsync(user.Tenant(), cancellationToken))
        {
            return ApiProblems.WebhookNotSet();
        }

        await audit.RecordAsync(user, OpsActions.RemoveWebhook, user.Tenant(), null, AuditTrail.Change(Describe(before), null), cancellationToken);
        return TypedResults.NoContent();
    }

    // The target and its events; never the secret.
    private static string? Describe(TenantWebhook? webhook) =>
        webhook?.Url is { } url ? $"{url} ({string.Join(", ", webhook.Events)})" : null;

    private static async Task<Ok<WebhookSettingsEnvelope>> RotateSecretAsync(
        TenantWebhookCommands webhooks, TimeProvider clock, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.RotateSecretAsync(user.Tenant(), cancellationToken);
        await audit.RecordAsync(user, OpsActions.RotateWebhookSecret, user.Tenant(), null, "a new signing secret (the previous one signs too until the overlap ends)", cancellationToken);
        return TypedResults.Ok(new WebhookSettingsEnvelope(true, WebhookSettingsResponse.From(webhook, clock.GetUtcNow(), webhook.Secret)));
    }
}
