using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.Tests.Fakes.Arm;

/// <summary>
/// A local Azure Resource Manager for virtual machines, on HTTPS loopback (Azure.Core sends bearer tokens over TLS
/// only), strict where the real one is: it checks the bearer token and each route's <c>api-version</c>, validates PUT
/// bodies as ARM does for the fields the adapter sends, answers a create with 201 and an <c>Azure-AsyncOperation</c>
/// URL that can be polled, moves provisioning and power states over time, updates a VM in place on a second PUT (as
/// ARM does: the silent resize the adapter must never cause), deletes a VM's NIC, public IP and OS disk per their
/// delete options, serves the NIC and public IP at the Network API version, lists by tag with <c>$top</c> and
/// <c>nextLink</c>, lists the subscription's VMs with their instance views (<c>statusOnly=true</c>), answers any injected error with ARM's error body, and serves an App Service style managed
/// identity endpoint so a real <c>DefaultAzureCredential</c> in another process can get its token.
/// </summary>
public sealed partial class LocalArm : IAsyncDisposable
{
    public const string SubscriptionId = "5f0c1d2e-0000-4000-8000-00000000a2e0";
    public const string ResourceGroup = "rg-provisioner-tests";
    public const string Token = "local-arm-token";
    public const string IdentityHeader = "local-arm-identity-header";
    public const string SshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHxLocalArmTestKeyOnlyNotARealKey0000000000 tests@provisioner";

    /// <summary>The operations whose calls are counted and can be made to fail (<see cref="FailNext"/>).</summary>
    public const string PutVirtualMachine = "PUT virtualMachines";
    public const string GetVirtualMachine = "GET virtualMachines";
    public const string DeleteVirtualMachine = "DELETE virtualMachines";
    public const string ListResources = "GET resources";
    public const string GetNetworkResource = "GET network";
    public const string GetOperation = "GET operations";
    public const string ListSkus = "GET skus";

    private static readonly string[] ComputeVersions = ["2023-07-01", "2023-03-01"];
    private static readonly string[] ResourcesVersions = ["2022-09-01", "2021-04-01"];
    private static readonly string[] NetworkVersions = ["2020-11-01", "2022-11-01", "2023-09-01"];

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, LocalArmVm> _vms = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Vm, string? PrivateIp, string? PublicIpName)> _nics = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _publicIps = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _disks = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Vm, bool Delete, string Location)> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Operation, ArmErrorException Error)> _failNext = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private int _sequence;

    private LocalArm(WebApplication app, X509Certificate2 certificate, string certificatePath)
    {
        _app = app;
        Certificate = certificate;
        CertificatePath = certificatePath;
    }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The server's self-signed certificate, and a PEM file of it for another process's <c>SSL_CERT_FILE</c>.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    /// <summary>The managed identity endpoint, for <c>IDENTITY_ENDPOINT</c> (with <c>IDENTITY_HEADER</c> = <see cref="IdentityHeader"/>).</summary>
    public Uri IdentityEndpoint => new(Endpoint, "msi/token");

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>From the create until the VM's power state is running (its OS still provisioning).</summary>
    public TimeSpan BootTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>From running until the OS is provisioned and the create has succeeded.</summary>
    public TimeSpan ChecksTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>From a DELETE until the VM and its dependents are gone.</summary>
    public TimeSpan ShutdownTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The next VM PUTs are carried out, then answered with a 500: the caller cannot tell.</summary>
    public int LosePutAnswers { get; set; }

    /// <summary>The next VM created is accepted (201), then fails at its boot with this code and message, as an allocation can.</summary>
    public (string Code, string Message)? FailNextCreateLater { get; set; }

    /// <summary>Every request as <c>METHOD path?query</c>, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static string SubnetId(string region) =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Network/virtualNetworks/vnet-{region}/subnets/default";

    public IReadOnlyList<LocalArmVm> VirtualMachines
    {
        get
        {
            lock (_gate)
            {
                Sweep();
                return [.. _vms.Values];
            }
        }
    }

    /// <summary>The NICs, public IPs and OS disks that exist (made with a VM, gone with it unless detached).</summary>
    public (IReadOnlyList<string> Nics, IReadOnlyList<string> PublicIps, IReadOnlyList<string> Disks) Dependents
    {
        get
        {
            lock (_gate)
            {
                Sweep();
                return ([.. _nics.Keys], [.. _publicIps.Keys], [.. _disks]);
            }
        }
    }

    public int CallsTo(string operation) => _calls.TryGetValue(operation, out var n) ? n : 0;

    /// <summary>Drops the injected errors no call has used up.</summary>
    public void ClearFailures() => _failNext.Clear();

    /// <summary>The next requests for <paramref name="operation"/> fail with these errors (after their token and api-version are checked).</summary>
    public void FailNext(string operation, params ArmErrorException[] errors)
    {
        foreach (var error in errors)
        {
            _failNext.Enqueue((operation, error));
        }
    }

    /// <summary>Azure gives up on an accepted VM now, as when its allocation fails.</summary>
    public void FailAllocation(string vmName, string code, string message)
    {
        lock (_gate)
        {
            var vm = _vms[vmName];
            vm.Failure = (code, message);
            vm.FailsAt = Clock.GetUtcNow();
        }
    }

    /// <summary>The VM is gone at once, with its dependents, as if someone deleted it outside this system.</summary>
    public void RemoveBehindOurBack(string vmName)
    {
        lock (_gate)
        {
            _vms[vmName].DeleteRequestedAt = Clock.GetUtcNow() - ShutdownTime;
            Sweep();
        }
    }

    /// <summary>A transport for an in-process SDK client that trusts this server's certificate, and only it.</summary>
    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == Certificate.Thumbprint,
    });

    /// <summary>The VM is deallocated outside the provisioner now, as from the portal.</summary>
    public DateTimeOffset StopOutside(string vmName)
    {
        lock (_gate)
        {
            var now = Clock.GetUtcNow();
            _vms[vmName].StoppedOutsideAt = now;
            return now;
        }
    }

    /// <summary>The VM's health probe fails from now on (<c>HealthState/unhealthy</c>), while it still runs.</summary>
    public void Impair(string vmName)
    {
        lock (_gate)
        {
            _vms[vmName].UnhealthySince = Clock.GetUtcNow();
        }
    }

    public static async Task<LocalArm> StartAsync()
    {
        var certificate = LocalArmCertificate.Create();
        var path = Path.Combine(Path.GetTempPath(), $"local-arm-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, certificate.ExportCertificatePem());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls("https://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var arm = new LocalArm(app, certificate, path);
        app.Run(arm.HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await arm.DisposeAsync();
            throw;
        }

        arm.Endpoint = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return arm;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(CertificatePath);
        Certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        try
        {
            if (request.Path.Equals("/msi/token", StringComparison.Ordinal))
            {
                await ManagedIdentityTokenAsync(context);
                return;
            }

            Authenticate(request);
            var (operation, versions, handle) = Route(request);
            var version = request.Query["api-version"].ToString();
            if (version.Length == 0)
            {
                throw new ArmErrorException("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            }

            if (!versions.Contains(version))
            {
                throw new ArmErrorException("InvalidApiVersionParameter", $"The api-version '{version}' is invalid. The supported versions are '{string.Join(",", versions)}'.");
            }

            _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
            if (_failNext.TryPeek(out var injected) && injected.Operation == operation && _failNext.TryDequeue(out injected))
            {
                throw injected.Error;
            }

            var body = request.ContentLength > 0 || request.Method == "PUT" ? await ReadBodyAsync(request) : null;
            Answer answer;
            lock (_gate)
            {
                Sweep();
                answer = handle(body);
            }

            if (operation == PutVirtualMachine && LosePutAnswers > 0)
            {
                LosePutAnswers--;
                throw new ArmErrorException("InternalServerError", "Encountered internal server error. Diagnostic information: timestamp '', subscription id '', tracking id '', request correlation id ''.", 500);
            }

            await WriteAsync(context, answer);
        }
        catch (ArmErrorException error)
        {
            var inner = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
            if (error.Target is not null)
            {
                inner["target"] = error.Target;
            }

            var headers = new Dictionary<string, string> { ["x-ms-error-code"] = error.Code };
            if (error.RetryAfterSeconds is { } seconds)
            {
                headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteAsync(context, new Answer(error.Status, new JsonObject { ["error"] = inner }, headers));
        }
    }

    private static void Authenticate(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            throw new ArmErrorException("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", 401);
        }

        if (authorization != $"Bearer {Token}")
        {
            throw new ArmErrorException("InvalidAuthenticationToken", "The access token is invalid.", 401);
        }
    }

    private (string Operation, string[] Versions, Func<JsonObject?, Answer> Handle) Route(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var method = request.Method;
        if (VmRegex().Match(path) is { Success: true } vm)
        {
            Scope(vm);
            var name = vm.Groups["name"].Value;
            return (method, vm.Groups["view"].Success) switch
            {
                ("PUT", false) => (PutVirtualMachine, ComputeVersions, body => PutVm(name, body!)),
                ("GET", false) => (GetVirtualMachine, ComputeVersions, _ => GetVm(name, request.Query["$expand"].ToString() == "instanceView")),
                ("GET", true) => (GetVirtualMachine, ComputeVersions, _ => new Answer(200, InstanceView(Find(name)))),
                ("DELETE", false) => (DeleteVirtualMachine, ComputeVersions, _ => DeleteVm(name)),
                _ => throw MethodNotAllowed(method, path),
            };
        }

        if (ResourcesRegex().Match(path) is { Success: true } resources && method == "GET")
        {
            Scope(resources);
            return (ListResources, ResourcesVersions, _ => ListByTag(request));
        }

        if (NetworkRegex().Match(path) is { Success: true } network && method == "GET")
        {
            Scope(network);
            var name = network.Groups["name"].Value;
            return network.Groups["type"].Value.Equals("networkInterfaces", StringComparison.OrdinalIgnoreCase)
                ? (GetNetworkResource, NetworkVersions, _ => GetNic(name))
                : (GetNetworkResource, NetworkVersions, _ => GetPublicIp(name));
        }

        if (SkusRegex().Match(path) is { Success: true } skus && method == "GET")
        {
            Scope(skus);
            return (ListSkus, SkusVersions, _ => ListResourceSkus(request));
        }

        if (SubscriptionVmsRegex().Match(path) is { Success: true } allVms && method == "GET")
        {
            Scope(allVms);
            return (ListVirtualMachines, ComputeVersions, _ => ListAllVms(request));
        }

        if (OperationRegex().Match(path) is { Success: true } operation && method == "GET")
        {
            Scope(operation);
            return (GetOperation, ComputeVersions, _ => OperationStatus(operation.Groups["id"].Value));
        }

        throw new ArmErrorException("InvalidResourceType", $"The resource type could not be found for {method} {path}.", 404);
    }

    private static void Scope(Match match)
    {
        if (!match.Groups["sub"].Value.Equals(SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmErrorException("SubscriptionNotFound", $"The subscription '{match.Groups["sub"].Value}' could not be found.", 404);
        }

        if (match.Groups["rg"].Success && !match.Groups["rg"].Value.Equals(ResourceGroup, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmErrorException("ResourceGroupNotFound", $"Resource group '{match.Groups["rg"].Value}' could not be found.", 404);
        }
    }

    private static ArmErrorException MethodNotAllowed(string method, string path) =>
        new("MethodNotAllowed", $"The requested method {method} is not allowed on {path}.", 405);

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<JsonNode>(request.Body) as JsonObject
                ?? throw new ArmErrorException("InvalidRequestContent", "The request content was invalid and could not be deserialized: not an object.");
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new ArmErrorException("InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{error.Message}'.");
        }
    }

    private static Task WriteAsync(HttpContext context, Answer answer)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(answer.Body.ToJsonString());
    }

    private static async Task ManagedIdentityTokenAsync(HttpContext context)
    {
        // App Service's managed identity protocol (2019-08-01), which Azure.Identity uses when IDENTITY_ENDPOINT and
        // IDENTITY_HEADER are set: the secret header proves the caller is on the host.
        if (context.Request.Headers["X-IDENTITY-HEADER"] != IdentityHeader)
        {
            await WriteAsync(context, new Answer(401, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "X-IDENTITY-HEADER is missing or wrong." }));
            return;
        }

        var expires = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteAsync(context, new Answer(200, new JsonObject
        {
            ["access_token"] = Token,
            ["expires_on"] = expires,
            ["resource"] = context.Request.Query["resource"].ToString(),
            ["token_type"] = "Bearer",
            ["client_id"] = "00000000-0000-0000-0000-00000000c11e",
        }));
    }

    private sealed record Answer(int Status, JsonObject? Body, Dictionary<string, string>? Headers = null);

    private const string Sub = "/subscriptions/(?<sub>[^/]+)";
    private const string Rg = Sub + "/resourceGroups/(?<rg>[^/]+)";

    [GeneratedRegex("^" + Rg + "/providers/Microsoft\\.Compute/virtualMachines/(?<name>[^/]+)(?<view>/instanceView)?$", RegexOptions.IgnoreCase)]
    private static partial Regex VmRegex();

    [GeneratedRegex("^" + Rg + "/resources$", RegexOptions.IgnoreCase)]
    private static partial Regex ResourcesRegex();

    [GeneratedRegex("^" + Rg + "/providers/Microsoft\\.Network/(?<type>networkInterfaces|publicIPAddresses)/(?<name>[^/]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkRegex();

    [GeneratedRegex("^" + Sub + "/providers/Microsoft\\.Compute/skus$", RegexOptions.IgnoreCase)]
    private static partial Regex SkusRegex();

    [GeneratedRegex("^" + Sub + "/providers/Microsoft\\.Compute/locations/(?<location>[^/]+)/operations/(?<id>[^/]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex OperationRegex();
}
