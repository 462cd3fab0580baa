using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Pools;
using Provisioner.Api.Problems;
using Provisioner.Core.Operations;
using Provisioner.Core.Persistence;
using Provisioner.Core.Pools;

namespace Provisioner.Api.Ops.Actions;

/// <summary>
/// The Pools page's actions (resize, drain, delete): form posts checked for the page's antiforgery token, done through the
/// same commands as <c>/api/admin/pools</c>, audited, and answered with a redirect back to the page.
/// </summary>
internal static class OpsPoolActionsApi
{
    public static IEndpointRouteBuilder MapOpsPoolActionsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(OpsPages.Pools).RequireAuthorization(OpsAuthentication.Policy).ExcludeFromDescription();
        group.MapPost("/{id:guid}/resize", ResizeAsync);
        group.MapPost("/{id:guid}/drain", DrainAsync);
        group.MapPost("/{id:guid}/delete", DeleteAsync);
        return endpoints;
    }

    public static string ResizePath(Guid id) => $"{OpsPages.Pools}/{id}/resize";

    public static string DrainPath(Guid id) => $"{OpsPages.Pools}/{id}/drain";

    public static string DeletePath(Guid id) => $"{OpsPages.Pools}/{id}/delete";

    private static Task<Results<RedirectHttpResult, NotFound, ProblemHttpResult>> ResizeAsync(
        Guid id, HttpContext context, IAntiforgery antiforgery, PoolCommands pools, IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock) =>
        ActAsync(context, antiforgery, dbFactory, clock, OpsActions.ChangePool, async cancellationToken =>
        {
            var form = await context.Request.ReadFormAsync(cancellationToken);
            var before = await pools.GetAsync(id, cancellationToken);
            var errors = new List<FieldError>();
            var size = PoolValidation.CheckSize(before.Pool.Size with { Min = Number(form["min"], before.Pool.Min), Max = Number(form["max"], before.Pool.Max) }, errors);
            if (errors.Count > 0)
            {
                return (before.Pool.Name, $"not resized: {string.Join(" ", errors.Select(e => e.Message))}");
            }

            var after = await pools.UpdateAsync(id, size, null, cancellationToken);
            return (after.Pool.Name, $"resized from {before.Pool.Min}-{before.Pool.Max} to {after.Pool.Min}-{after.Pool.Max}");
        });

    private static Task<Results<RedirectHttpResult, NotFound, ProblemHttpResult>> DrainAsync(
        Guid id, HttpContext context, IAntiforgery antiforgery, PoolCommands pools, IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock) =>
        ActAsync(context, antiforgery, dbFactory, clock, OpsActions.ChangePool, async cancellationToken =>
        {
            var name = (await pools.GetAsync(id, cancellationToken)).Pool.Name;
            var released = await pools.DrainNowAsync(id, cancellationToken);
            return (name, $"drained: min 0, {released} warm machine(s) released");
        });

    private static Task<Results<RedirectHttpResult, NotFound, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext context, IAntiforgery antiforgery, PoolCommands pools, IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock) =>
        ActAsync(context, antiforgery, dbFactory, clock, OpsActions.DeletePool, async cancellationToken =>
        {
            var after = await pools.DrainAsync(id, cancellationToken);
            return (after.Pool.Name, "deleted: no more draws; its machines are being released");
        });

    private static async Task<Results<RedirectHttpResult, NotFound, ProblemHttpResult>> ActAsync(
        HttpContext context, IAntiforgery antiforgery, IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock, string action,
        Func<CancellationToken, Task<(string Pool, string Outcome)>> act)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(ApiProblems.Build(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Not allowed.",
                "The form's antiforgery token is missing or invalid; act from the console's own page.", []));
        }

        var who = await OpsOperator.OfAsync(context.User, dbFactory, context.RequestAborted);
        (string Pool, string Outcome) done;
        try
        {
            done = await act(context.RequestAborted);
        }
        catch (PoolNotFoundException)
        {
            return TypedResults.NotFound();
        }

        await using (var db = await dbFactory.CreateDbContextAsync(context.RequestAborted))
        {
            db.OpsAudit.Add(new OpsAuditEntry(who.KeyId, who.Name, action, done.Pool, null, done.Outcome, clock.GetUtcNow()));
            await db.SaveChangesAsync(context.RequestAborted);
        }

        return TypedResults.Redirect($"{OpsPages.Pools}?done={Uri.EscapeDataString($"{done.Pool}: {done.Outcome}")}");
    }

    private static int Number(string? text, int otherwise) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : otherwise;
}
