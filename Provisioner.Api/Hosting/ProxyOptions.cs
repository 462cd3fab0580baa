using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Provisioner.Api.Hosting;

/// <summary>
/// The reverse proxies in front of the API, section <c>Proxy</c>. Only a request arriving from one of
/// <see cref="KnownProxies"/> has its <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> believed: the client's
/// address then comes from the header (so each client behind the proxy gets its own anonymous rate budget). From
/// anyone else the headers are ignored, or a caller could pick any address and so any budget.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>The proxies' own addresses, e.g. <c>["10.0.0.5"]</c>. Default: none (forwarded headers ignored).</summary>
    public string[] KnownProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => new ValidationResult($"Proxy:KnownProxies entry '{p}' is not an IP address.", [nameof(KnownProxies)]));
}
