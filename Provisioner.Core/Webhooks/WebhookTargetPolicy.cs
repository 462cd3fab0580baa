using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Which URLs a webhook may call. Checked when a target is registered and again, address by address, when each
/// delivery connects (see <see cref="WebhookHttpClient"/>), so a name that later re-resolves to a private
/// address (DNS rebinding) is still refused. <see cref="WebhookOptions.AllowedHosts"/> exempts named host:port pairs.
/// </summary>
public sealed class WebhookTargetPolicy(IOptionsMonitor<WebhookOptions> options)
{
    /// <summary>The URL's form alone: absolute, http(s) as configured, no credentials, not too long.</summary>
    public WebhookTargetCheck CheckForm(string url)
    {
        if (url.Length > WebhookLimits.MaxUrlLength)
        {
            return WebhookTargetCheck.Refused($"The URL is longer than {WebhookLimits.MaxUrlLength} characters.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return WebhookTargetCheck.Refused("The URL is not an absolute http or https URL.");
        }

        var settings = options.CurrentValue;
        if (uri.Scheme == Uri.UriSchemeHttp && !settings.AllowHttp)
        {
            return WebhookTargetCheck.Refused("Only https URLs are accepted.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return WebhookTargetCheck.Refused($"The scheme '{uri.Scheme}' is not accepted; use {(settings.AllowHttp ? "http or https" : "https")}.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return WebhookTargetCheck.Refused("The URL may not carry credentials; authenticate the sender by its signature.");
        }

        return WebhookTargetCheck.Ok;
    }

    /// <summary>The form, then every address the host resolves to now.</summary>
    public async Task<WebhookTargetCheck> CheckAsync(string url, CancellationToken cancellationToken)
    {
        var form = CheckForm(url);
        if (!form.Allowed)
        {
            return form;
        }

        var uri = new Uri(url);
        if (IsExempt(uri.IdnHost, uri.Port))
        {
            return WebhookTargetCheck.Ok;
        }

        try
        {
            await ResolveAsync(uri.IdnHost, uri.Port, cancellationToken);
            return WebhookTargetCheck.Ok;
        }
        catch (WebhookTargetRefusedException refused)
        {
            return WebhookTargetCheck.Refused(refused.Message);
        }
    }

    /// <summary>Whether <see cref="WebhookOptions.AllowedHosts"/> names this host and port (an exact pair).</summary>
    public bool IsExempt(string host, int port) =>
        options.CurrentValue.AllowedHosts.Any(allowed => WebhookOptions.TrySplitHostPort(allowed, out var allowedHost, out var allowedPort)
            && allowedPort == port
            && string.Equals(allowedHost, host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The addresses a delivery may connect to for <paramref name="host"/>.</summary>
    /// <exception cref="WebhookTargetRefusedException">It does not resolve, or any address it resolves to is forbidden.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                throw new WebhookTargetRefusedException($"The host '{host}' does not resolve.");
            }
        }

        if (IsExempt(host, port))
        {
            return addresses;
        }

        // One forbidden address refuses the name: a resolver answering with a public and a private address could
        // otherwise steer a later connection inside.
        if (addresses.FirstOrDefault(ForbiddenAddresses.IsForbidden) is { } forbidden)
        {
            throw new WebhookTargetRefusedException(
                $"The host '{host}' resolves to {forbidden}, a loopback, private, link-local or otherwise internal address.");
        }

        return addresses.Length > 0 ? addresses : throw new WebhookTargetRefusedException($"The host '{host}' does not resolve.");
    }
}
