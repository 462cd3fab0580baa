using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Hosting;

namespace Provisioner.Core.Webhooks;

public static class WebhookServices
{
    /// <summary>What every process needs: the target policy, the outbox that records deliveries, the tenant's settings.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<WebhookOptions>(configuration, WebhookOptions.Section);
        services.AddSingleton<WebhookTargetPolicy>();
        services.AddSingleton<WebhookOutbox>();
        services.AddTransient<TenantWebhookCommands>();
        services.AddTransient<WebhookDeliveryCommands>();
        return services;
    }

    /// <summary>What a worker needs to send: the vetting HTTP client, the per-host bound, the sender.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddSingleton<WebhookHttpClient>();
        services.AddSingleton<WebhookHostLimiter>();
        services.AddTransient<WebhookSender>();
        return services;
    }
}
