using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Http.Json;
using Provisioner.Api.Costs;
using Provisioner.Api.Instances;
using Provisioner.Api.Instances.Waiting;
using Provisioner.Api.OpenApi;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;
using Provisioner.Api.Webhooks;
using Provisioner.Core.Hosting;
using Provisioner.Core.Telemetry;
using Provisioner.Hosting.Connections;
using Provisioner.Hosting.Health;
using Provisioner.Hosting.Telemetry;

namespace Provisioner.Api.Hosting;

/// <summary>The API process: schedules work (never runs it), validates strictly, answers problems in RFC 9457 form.</summary>
internal static class ApiServices
{
    public static WebApplicationBuilder AddProvisionerApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The API's connections leave no session state: prepared statements, no reset of a returned connection. Measured
        // on GET /api/instances/{id}: PostgreSQL's CPU per request about 320 -> 85 µs (docs/benchmarks.md).
        services.AddProvisionerCore(builder.Configuration, StatelessConnections.Tune);
        services.AddProvisionerHealthChecks();
        services.AddProvisionerTelemetry(builder.Configuration, "provisioner-api").AddInstanceCensus();
        services.AddCorrelation();

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        // Surface body-reading failures as exceptions so BadRequestExceptionHandler can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
            if (!c.ProblemDetails.Extensions.ContainsKey("code"))
            {
                c.ProblemDetails.Extensions["code"] = c.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => ProblemCodes.NotFound,
                    StatusCodes.Status405MethodNotAllowed => ProblemCodes.MethodNotAllowed,
                    StatusCodes.Status415UnsupportedMediaType => ProblemCodes.UnsupportedMediaType,
                    StatusCodes.Status413PayloadTooLarge => ProblemCodes.PayloadTooLarge,
                    StatusCodes.Status401Unauthorized => ProblemCodes.Unauthorized,
                    StatusCodes.Status403Forbidden => ProblemCodes.Forbidden,
                    StatusCodes.Status429TooManyRequests => ProblemCodes.RateLimited,
                    _ => ProblemCodes.Internal,
                };
            }
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.AddValidatedSettings<ProxyOptions>(builder.Configuration, ProxyOptions.Section);

        services.AddProvisionerSecurity();
        services.AddProvisionerRateLimits(builder.Configuration);
        var bodyLimit = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>()?.MaxRequestBodyBytes ?? new RateLimitOptions().MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = bodyLimit;
            kestrel.Limits.MaxRequestLineSize = RequestGuards.KestrelRequestLineLimit;
        });

        services.AddSingleton<IValidator<CreateInstanceRequest>, CreateInstanceRequestValidator>();
        services.AddTransient<InstanceQueries>();
        services.AddValidatedSettings<InstanceWaitOptions>(builder.Configuration, InstanceWaitOptions.Section);
        services.AddSingleton<InstanceChangeWaiters>();
        services.AddTransient<HeldReads>();
        services.AddSingleton<InstanceChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceChangeFeed>());
        services.AddSingleton<NovitaReadyEstimator>();
        services.AddSingleton<IValidator<SetWebhookRequest>, SetWebhookRequestValidator>();
        services.AddTransient<WebhookDeliveryQueries>();
        services.AddSingleton<IValidator<SetBudgetRequest>, SetBudgetRequestValidator>();
        services.AddTransient<CostQueries>();
        services.AddProvisionerOpenApi();
        return builder;
    }

    /// <summary>Strict JSON: unknown fields, duplicate fields and wrong types are errors, enums are the original design's upper-case names.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        ProvisionerJson.ApplyConventions(json);
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // {"a":1,"a":2} would otherwise mean whatever the last one says; a client sending both meant something else.
        json.AllowDuplicateProperties = false;
        json.NumberHandling = JsonNumberHandling.Strict;
    }
}
