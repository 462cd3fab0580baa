using System.Diagnostics;
using Provisioner.Core.Telemetry;

namespace Provisioner.Api.Hosting;

/// <summary>
/// Takes the client's <c>X-Correlation-Id</c> (or, without a usable one, the request's trace id), echoes it on the
/// response, and makes it current for the request: its log lines carry it and any work it schedules stores it,
/// so the jobs that follow log it too.
/// </summary>
internal sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var sent = context.Request.Headers[Correlation.Header].ToString();
        var id = Correlation.IsValid(sent) ? sent : Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
        // On starting, not now: the exception handler clears the headers of a response it replaces.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Correlation.Header] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("provisioner.correlation_id", id);
        using var correlation = Correlation.Begin(id);
        using var scope = Correlation.BeginLogScope(logger, id);
        await next(context);
    }
}

/// <summary>Puts <see cref="CorrelationMiddleware"/> in front of the whole pipeline, so every response and log line has the id.</summary>
internal static class CorrelationServices
{
    public static IServiceCollection AddCorrelation(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, CorrelationStartupFilter>();

    private sealed class CorrelationStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<CorrelationMiddleware>();
            next(app);
        };
    }
}
