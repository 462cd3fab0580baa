using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Provisioner.Core.Hosting;
using Provisioner.Core.Telemetry;

namespace Provisioner.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for a process: our spans and meter, ASP.NET Core's and HttpClient's, served in Prometheus text
/// format on <c>/metrics</c> and sent over OTLP when an endpoint is configured.
/// </summary>
public static class TelemetryServices
{
    public const string MetricsPath = "/metrics";

    /// <param name="serviceName">The resource's <c>service.name</c>, e.g. <c>provisioner-api</c> (<c>OTEL_SERVICE_NAME</c> wins).</param>
    /// <param name="instanceName">This process among its replicas (a worker's node name); the host name otherwise.</param>
    public static IServiceCollection AddProvisionerTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName, string? instanceName = null)
    {
        services.AddValidatedSettings<TelemetryOptions>(configuration, TelemetryOptions.Section);
        var settings = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = settings.OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        void ConfigureOtlp(OtlpExporterOptions o)
        {
            if (settings.OtlpEndpoint is { } endpoint)
            {
                o.Endpoint = endpoint;
            }
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceName ?? Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ProvisionerDiagnostics.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperational(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter(ConfigureOtlp);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProvisionerMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter(ConfigureOtlp);
                }
            });
        return services;
    }

    /// <summary>Instances by state and spend, counted in the background: registered by the API alone.</summary>
    public static IServiceCollection AddInstanceCensus(this IServiceCollection services) =>
        services.AddHostedService<InstanceCensus>();

    /// <summary>
    /// <c>/metrics</c> in Prometheus text format, never rate limited. The API restricts it to admin keys; a worker
    /// serves it on its health port, which is not meant to be reachable from outside the cluster.
    /// </summary>
    public static IEndpointConventionBuilder MapProvisionerMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).DisableRateLimiting();

    // Probes and scrapes every few seconds would drown the traces that matter.
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}
