using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioner.Api.Ops.Actions;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Catalog;
using Provisioner.Core.Operations;
using Provisioner.Core.Pools;

namespace Provisioner.Api.Pools;

/// <summary>
/// <c>/api/admin/pools</c>: operators define warm pools (admin keys only). A create a pool can serve takes one of its
/// warm machines in the request that asks (<see cref="Provisioner.Core.Lifecycle.InstanceCommands"/>); the refill keeps it.
/// </summary>
public static class PoolsApi
{
    public static IEndpointRouteBuilder MapPoolsApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/admin/pools").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapPost("/", CreateAsync).WithName("CreatePool").WithSummary("Define a warm pool; the refill launches its machines.");
        admin.MapGet("/", ListAsync).WithName("ListPools").WithSummary("Every pool not deleted, with its machines and today's figures.");
        admin.MapGet("/{id:guid}", GetAsync).WithName("GetPool").WithSummary("One pool: its warm, starting and drawn machines, hit rate and overhead.");
        admin.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdatePool").WithSummary("Resize a pool or change who may draw from it.");
        admin.MapDelete("/{id:guid}", DeleteAsync).WithName("DeletePool").WithSummary("Stop draws at once and release the pool's machines; deleting again changes nothing.");
        return endpoints;
    }

    private static async Task<Results<Created<PoolResponse>, ProblemHttpResult>> CreateAsync(
        CreatePoolRequest request, PoolCommands pools, InstanceTypeCatalog catalog, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (PoolValidation.Check(request, catalog, errors) is not { } definition)
        {
            return ApiProblems.Validation(errors);
        }

        try
        {
            var pool = await pools.CreateAsync(definition, cancellationToken);
            await audit.RecordAsync(user, OpsActions.CreatePool, pool.Name, null,
                AuditTrail.Change(null, $"{pool.Provider.ToString().ToUpperInvariant()} {pool.InstanceType} in {pool.Region}, {pool.Min}-{pool.Max}"), cancellationToken);
            var view = await pools.GetAsync(pool.Id, cancellationToken);
            return TypedResults.Created($"/api/admin/pools/{pool.Id}", PoolResponse.From(view));
        }
        catch (PoolNameTakenException)
        {
            return TypedResults.Problem(ApiProblems.Build(StatusCodes.Status409Conflict, ProblemCodes.PoolNameTaken, "Pool name taken.",
                $"A pool named '{definition.Name}' exists.", [new FieldError("name", ProblemCodes.PoolNameTaken, "Choose another name, or delete that pool first.")]));
        }
    }

    private static async Task<Ok<PoolListResponse>> ListAsync(PoolCommands pools, bool? includeDeleted, CancellationToken cancellationToken)
    {
        var all = await pools.ListAsync(includeDeleted ?? false, cancellationToken);
        return TypedResults.Ok(new PoolListResponse([.. all.Select(PoolResponse.From)], all.Count));
    }

    private static async Task<Results<Ok<PoolResponse>, ProblemHttpResult>> GetAsync(Guid id, PoolCommands pools, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(PoolResponse.From(await pools.GetAsync(id, cancellationToken)));
        }
        catch (PoolNotFoundException)
        {
            return NotFound(id);
        }
    }

    private static async Task<Results<Ok<PoolResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdatePoolRequest request, PoolCommands pools, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        PoolView before;
        try
        {
            before = await pools.GetAsync(id, cancellationToken);
        }
        catch (PoolNotFoundException)
        {
            return NotFound(id);
        }

        var errors = new List<FieldError>();
        var old = before.Pool.Size;
        PoolSize? size = request is { Min: null, Max: null, IdleMinutes: null, Autoscale: null }
            ? null
            : PoolValidation.CheckSize(new PoolSize(request.Min ?? old.Min, request.Max ?? old.Max, request.IdleMinutes ?? old.IdleMinutes, request.Autoscale ?? old.Autoscale), errors);
        var tenants = request.Tenants is null ? null : PoolValidation.CheckTenants(request.Tenants, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        try
        {
            var after = await pools.UpdateAsync(id, size, tenants, cancellationToken);
            await audit.RecordAsync(user, OpsActions.ChangePool, after.Pool.Name, null,
                AuditTrail.Change(Describe(before), Describe(after)), cancellationToken);
            return TypedResults.Ok(PoolResponse.From(after));
        }
        catch (PoolNotFoundException)
        {
            return NotFound(id);
        }
    }

    private static async Task<Results<Ok<PoolResponse>, ProblemHttpResult>> DeleteAsync(
        Guid id, PoolCommands pools, AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            var before = await pools.GetAsync(id, cancellationToken);
            var after = await pools.DrainAsync(id, cancellationToken);
            if (before.Pool.Status != after.Pool.Status)
            {
                await audit.RecordAsync(user, OpsActions.DeletePool, after.Pool.Name, null, AuditTrail.Change(Describe(before), "draining"), cancellationToken);
            }

            return TypedResults.Ok(PoolResponse.From(after));
        }
        catch (PoolNotFoundException)
        {
            return NotFound(id);
        }
    }

    private static string Describe(PoolView view) =>
        $"{view.Pool.Min}-{view.Pool.Max}, idle {view.Pool.IdleMinutes} min{(view.Pool.Autoscale ? ", autoscaled" : "")}"
        + (view.Pool.Tenants.Length == 0 ? "" : $", tenants {string.Join(" ", view.Pool.Tenants)}");

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(ApiProblems.Build(StatusCodes.Status404NotFound, ProblemCodes.PoolNotFound, "No such pool.", $"No pool with id {id}.", []));
}
