using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Provisioner.Api.Problems;
using Provisioner.Api.Security;

namespace Provisioner.Api.Hosting;

/// <summary>What every request passes before its endpoint, in order; the order is the point, so it is kept here.</summary>
internal static class RequestPipeline
{
    public static WebApplication UseProvisionerPipeline(this WebApplication app)
    {
        // First: the client's address decides rate budgets, and only a known proxy may name it.
        var proxies = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.KnownProxies;
        if (proxies.Length > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in proxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RequestGuards.InvokeAsync);
        // Before authentication: an unknown key's database read is limited before it happens.
        app.Use((context, next) => context.RequestServices.GetRequiredService<KeyLookupLimiter>()
            .InvokeAsync(context, () => next(context), context.RequestServices.GetRequiredService<Provisioner.Core.Tenancy.ApiKeyService>()));
        app.UseAuthentication();
        app.Use((context, next) => OpsSessionIdentity.InvokeAsync(context, () => next(context)));
        var requests = app.Services.GetRequiredService<RequestLimiter>();
        app.Use((context, next) => requests.InvokeAsync(context, () => next(context)));
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Use((context, next) => Ops.JobsDashboardAudit.InvokeAsync(context, () => next(context)));
        return app;
    }
}
