using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Provisioner.Api.Costs;
using Provisioner.Api.Hosting;
using Provisioner.Api.Instances.Waiting;
using Provisioner.Api.Ops.Actions;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Core.Budgets;
using Provisioner.Core.Catalog;
using Provisioner.Core.Instances;
using Provisioner.Core.Operations;
using Provisioner.Core.Lifecycle;
using Provisioner.Core.Placement;
using Provisioner.Core.Webhooks;
using static Provisioner.Api.Instances.InstanceLimits;

namespace Provisioner.Api.Instances;

/// <summary>
/// <c>/api/instances</c>: request a machine (202, then poll), read it, list, statistics, terminate.
/// Handlers record and enqueue; the workers do the cloud work.
/// </summary>
public static partial class InstancesApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapInstancesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/instances").WithTags("Instances").RequireAuthorization(Policies.Tenant);

        api.MapPost("/", CreateAsync)
            .AddEndpointFilter<ValidationFilter<CreateInstanceRequest>>()
            .WithName("CreateInstance")
            .WithSummary("Request a GPU instance; answers 202 at once, poll the Location for progress.");
        api.MapGet("/", ListAsync).WithName("ListInstances").WithSummary("List instances, newest first, paged with a cursor.");
        api.MapGet("/stats", StatisticsAsync).WithName("GetInstanceStatistics")
            .WithSummary("Counts, costs and breakdowns, over instances requested in [from, to), grouped by day, provider, instanceType, region or userId.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetInstance").WithSummary("One instance, as the workers last recorded it.")
            .WithDescription("Sends a weak ETag. With If-None-Match naming it, answers 304 Not Modified; add Prefer: wait=N (seconds, at most "
                + "InstanceWait:MaxWait, 30 by default) and the read is held until the instance changes (200) or N seconds pass (304).")
            .Produces(StatusCodes.Status304NotModified);
        api.MapGet("/{id:guid}/events", EventsAsync).WithName("GetInstanceEvents").WithSummary("The instance's lifecycle timeline.");
        api.MapGet("/{id:guid}/attempts", AttemptsAsync).WithName("GetInstanceLaunchAttempts")
            .WithSummary("Every offer the launch tried or skipped, in order, with what each cloud said.");
        api.MapGet("/{id:guid}/machines", MachinesAsync).WithName("GetInstanceMachines")
            .WithSummary("Every machine the instance had (relaunched after interruptions), with the time each was billed and its cost.");
        api.MapPost("/{id:guid}/heartbeat", HeartbeatAsync).WithName("RecordHeartbeat")
            .WithSummary("The client is using the instance: READY becomes RUNNING, and the idle limit starts again.");
        api.MapDelete("/{id:guid}", TerminateAsync).WithName("TerminateInstance").WithSummary("Stop the instance; answers 202, or 200 if it already ended.");
        return endpoints;
    }

    private static async Task<Results<Accepted<InstanceEnvelope>, ProblemHttpResult>> CreateAsync(
        CreateInstanceRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        InstanceCommands commands,
        WebhookTargetPolicy webhookTargets,
        InstanceTypeCatalog catalog,
        NovitaReadyEstimator readyEstimator,
        IOptions<LifecycleOptions> lifecycle,
        TimeProvider clock,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || !IdempotencyKeyRegex().IsMatch(idempotencyKey)))
        {
            return ApiProblems.InvalidHeader(IdempotencyKeyHeader, $"must be 1-{MaxIdempotencyKeyLength} printable ASCII characters without spaces.");
        }

        if (request.WebhookUrl is not null && await webhookTargets.CheckAsync(request.WebhookUrl, cancellationToken) is { Allowed: false } refused)
        {
            return ApiProblems.WebhookUrlNotAllowed("webhookUrl", refused.Reason!);
        }

        var novita = RequestShapes.IsNovita(request);
        var spec = novita ? NovitaSpecOf(request, catalog) : SeedSpecOf(request, catalog);
        // Validated: only "fail", "relaunch" or nothing arrive here.
        var onInterruption = request.OnInterruption == "relaunch" ? InterruptionPolicy.Relaunch : InterruptionPolicy.Fail;
        spec = spec with { OnInterruption = onInterruption, MaxInterruptions = lifecycle.Value.MaxInterruptions };
        try
        {
            var (instance, replayed, newSecret) = await commands.CreateAsync(user.Tenant(), spec, idempotencyKey, cancellationToken);
            var now = clock.GetUtcNow();
            DateTimeOffset? estimatedReadyAt = novita
                ? instance.CreatedAt + await readyEstimator.BootTimeAsync(instance.InstanceType, instance.Region, cancellationToken)
                : null;
            return TypedResults.Accepted($"/api/instances/{instance.Id}",
                new InstanceEnvelope(true, InstanceResponse.From(instance, now),
                    replayed ? "Replayed: this Idempotency-Key was already used for this request." : null, newSecret,
                    estimatedReadyAt));
        }
        catch (IdempotencyKeyReusedException)
        {
            return ApiProblems.IdempotencyKeyReused(idempotencyKey!);
        }
        catch (BudgetExceededException overBudget)
        {
            return ApiProblems.BudgetExceeded(overBudget.Refusal, overBudget.Message);
        }
        catch (NoOfferException none)
        {
            return none.OverPrice ? ApiProblems.NoOfferWithinPrice(none.Request.MaxPricePerHour!.Value) : ApiProblems.NoOfferFits(none.Message);
        }
    }

    /// <summary>
    /// The original design's body, validated: its config, with the original design's defaults for what it left out. With requirements, the
    /// machine is left for the placer to fill in (<see cref="InstanceSpec.Needs"/>).
    /// </summary>
    private static InstanceSpec SeedSpecOf(CreateInstanceRequest request, InstanceTypeCatalog catalog)
    {
        var config = request.Config!;
        var needs = config.Requirements is { } requirements ? CreateInstanceRequestValidator.ToPlacementRequest(requirements, catalog, null) : null;
        return new InstanceSpec(
            request.UserId!,
            request.TaskId,
            request.Purpose,
            needs is null ? Enum.Parse<CloudProviderName>(config.Provider!, ignoreCase: true) : default,
            config.InstanceType ?? "",
            config.Region ?? "",
            config.DiskSizeGB ?? DefaultDiskSizeGB,
            config.AutoTerminateMinutes ?? DefaultAutoTerminateMinutes,
            config.Tags ?? [],
            config.IdleTerminateMinutes,
            config.SpotMaxPrice,
            config.UserData,
            request.WebhookUrl,
            request.WebhookEvents,
            Needs: needs,
            CapacityWaitMinutes: config.CapacityWaitMinutes ?? 0);
    }

    /// <summary>
    /// The NovitaAI service's body, validated: a NOVITA instance of the product, its GPU count, disk and template, named
    /// by <c>name</c> (kept as the user id, the label instances are listed by). Without a region, the product's first.
    /// </summary>
    private static InstanceSpec NovitaSpecOf(CreateInstanceRequest request, InstanceTypeCatalog catalog)
    {
        catalog.TryFind(CloudProviderName.Novita, request.ProductName!, out var product);
        return new InstanceSpec(
            request.Name!,
            TaskId: null,
            Purpose: null,
            CloudProviderName.Novita,
            request.ProductName!,
            request.Region ?? product.Regions[0],
            request.RootfsSize!.Value,
            request.AutoTerminateMinutes ?? DefaultAutoTerminateMinutes,
            new Dictionary<string, string>(),
            WebhookUrl: request.WebhookUrl,
            WebhookEvents: request.WebhookEvents,
            GpuCount: request.GpuNum!.Value,
            Template: RequestShapes.TemplateIdOf(request.TemplateId)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<Results<Ok<InstanceEnvelope>, ProblemHttpResult>> HeartbeatAsync(
        Guid id, InstanceCommands commands, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            var instance = await commands.RecordHeartbeatAsync(user.Tenant(), id, cancellationToken);
            return TypedResults.Ok(new InstanceEnvelope(true, InstanceResponse.From(instance, clock.GetUtcNow())));
        }
        catch (InstanceNotFoundException)
        {
            return ApiProblems.InstanceNotFound(id);
        }
        catch (InvalidTransitionException error)
        {
            return ApiProblems.InstanceNotRunning(id, InstanceStatusNames.Of(error.From));
        }
    }

    /// <summary>
    /// The instance, with its version as a weak ETag. With <c>If-None-Match</c> naming that version the answer is 304;
    /// with <c>Prefer: wait=N</c> as well, the read is held until the instance changes (200, the new version) or N
    /// seconds pass (304), capped at <see cref="InstanceWaitOptions.MaxWait"/>: a client waits for READY in one
    /// request, told the moment it happens, instead of polling.
    /// </summary>
    private static async Task<Results<Ok<InstanceEnvelope>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        Guid id,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        [FromHeader(Name = ConditionalRead.PreferHeader)] string? prefer,
        HttpContext http, InstanceQueries queries, HeldReads heldReads, IOptions<InstanceWaitOptions> waitOptions,
        TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Bound as strings so the OpenAPI document names them; a repeated header arrives comma-joined, as HTTP allows.
        var wait = string.IsNullOrEmpty(ifNoneMatch) ? null : ConditionalRead.PreferredWait(prefer, waitOptions.Value.MaxWait);
        var instance = wait is { } held
            ? await heldReads.ReadAsync(user.Tenant(), id, i => ConditionalRead.ClientHas(ifNoneMatch, ConditionalRead.ETagOf(i)), held, cancellationToken)
            : await queries.FindAsync(user.Tenant(), id, cancellationToken);
        if (instance is null)
        {
            return ApiProblems.InstanceNotFound(id);
        }

        var etag = ConditionalRead.ETagOf(instance);
        http.Response.Headers.ETag = etag;
        if (wait is { } applied)
        {
            http.Response.Headers[ConditionalRead.PreferenceAppliedHeader] = $"wait={(int)applied.TotalSeconds}";
        }

        return ConditionalRead.ClientHas(ifNoneMatch, etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(new InstanceEnvelope(true, InstanceResponse.From(instance, clock.GetUtcNow())));
    }

    private static async Task<Results<Ok<InstanceListEnvelope>, ProblemHttpResult>> ListAsync(
        string? userId, string? status, int? limit, string? cursor,
        InstanceQueries queries, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        InstanceStatus? statusFilter = null;
        if (status is not null)
        {
            if (!InstanceStatusNames.TryParse(status, out var parsed))
            {
                return ApiProblems.InvalidQuery("status", ProblemCodes.InvalidValue,
                    $"Unknown status. Use one of: {string.Join(", ", Enum.GetValues<InstanceStatus>().Select(InstanceStatusNames.Of))}.");
            }

            statusFilter = parsed;
        }

        if (limit is < 1 or > MaxPageSize)
        {
            return ApiProblems.InvalidQuery("limit", ProblemCodes.OutOfRange, $"limit must be between 1 and {MaxPageSize}.");
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

        if (userId is { Length: 0 or > MaxIdLength })
        {
            return ApiProblems.InvalidQuery("userId", ProblemCodes.InvalidValue, $"userId must be 1-{MaxIdLength} characters.");
        }

        var (page, next) = await queries.ListAsync(user.Tenant(), userId, statusFilter, limit ?? DefaultPageSize, after, cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new InstanceListEnvelope(true, [.. page.Select(i => InstanceResponse.From(i, now))], page.Count, next?.Encode()));
    }

    private static async Task<Results<Ok<InstanceStatisticsEnvelope>, ProblemHttpResult>> StatisticsAsync(
        string? userId, string? from, string? to, string? groupBy,
        InstanceQueries queries, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (userId is { Length: 0 or > MaxIdLength })
        {
            return ApiProblems.InvalidQuery("userId", ProblemCodes.InvalidValue, $"userId must be 1-{MaxIdLength} characters.");
        }

        if (!ReportRange.TryParse(from, to, clock.GetUtcNow(), defaultSpan: null, out var range, out var problem))
        {
            return problem!;
        }

        StatisticsGrouping? grouping = null;
        if (groupBy is not null)
        {
            if (!EnumValue.TryParse<StatisticsGrouping>(groupBy, out var parsed))
            {
                return ApiProblems.InvalidQuery("groupBy", ProblemCodes.InvalidValue, "groupBy must be one of: day, provider, instanceType, region, userId.");
            }

            grouping = parsed;
        }

        var statistics = await queries.StatisticsAsync(user.Tenant(), new StatisticsQuery(userId, range.From, range.To, grouping), cancellationToken);
        return TypedResults.Ok(new InstanceStatisticsEnvelope(true, statistics));
    }

    private static async Task<Results<Ok<InstanceEventsEnvelope>, ProblemHttpResult>> EventsAsync(
        Guid id, InstanceQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var events = await queries.EventsAsync(user.Tenant(), id, cancellationToken);
        return events.Count == 0
            ? ApiProblems.InstanceNotFound(id)
            : TypedResults.Ok(new InstanceEventsEnvelope(true, [.. events.Select(InstanceEventResponse.Of)]));
    }

    private static async Task<Results<Ok<LaunchAttemptsEnvelope>, ProblemHttpResult>> AttemptsAsync(
        Guid id, InstanceQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var attempts = await queries.LaunchAttemptsAsync(user.Tenant(), id, cancellationToken);
        return attempts is null
            ? ApiProblems.InstanceNotFound(id)
            : TypedResults.Ok(new LaunchAttemptsEnvelope(true, [.. attempts.Select(LaunchAttemptResponse.Of)]));
    }

    private static async Task<Results<Ok<InstanceMachinesEnvelope>, ProblemHttpResult>> MachinesAsync(
        Guid id, InstanceQueries queries, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var instance = await queries.FindAsync(user.Tenant(), id, cancellationToken);
        if (instance is null)
        {
            return ApiProblems.InstanceNotFound(id);
        }

        var now = clock.GetUtcNow();
        return TypedResults.Ok(new InstanceMachinesEnvelope(
            true, instance.InterruptionCount, Money.Round(instance.CostAt(now)), InstanceMachineResponse.AllOf(instance, now)));
    }

    private static async Task<Results<Accepted<InstanceEnvelope>, Ok<InstanceEnvelope>, ProblemHttpResult>> TerminateAsync(
        Guid id, InstanceCommands commands, AuditTrail audit, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            var (instance, started) = await commands.RequestTerminationAsync(user.Tenant(), id, cancellationToken);
            if (started)
            {
                await audit.RecordAsync(user, OpsActions.TerminateInstanceByApi, id.ToString(), id, "stop requested through the API", cancellationToken);
            }

            var body = InstanceResponse.From(instance, clock.GetUtcNow());
            return InstanceLifecycle.IsFinal(instance.Status)
                ? TypedResults.Ok(new InstanceEnvelope(true, body, $"Instance already {InstanceStatusNames.Of(instance.Status)}."))
                : TypedResults.Accepted($"/api/instances/{id}", new InstanceEnvelope(true, body, "Termination in progress."));
        }
        catch (InstanceNotFoundException)
        {
            return ApiProblems.InstanceNotFound(id);
        }
    }

    [GeneratedRegex(IdempotencyKeyPattern)]
    private static partial Regex IdempotencyKeyRegex();
}
