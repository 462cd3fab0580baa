using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.Tests.Fakes.Novita;

/// <summary>
/// A local NovitaAI v1 GPU instance API on HTTP loopback, strict where the real one is: it checks the bearer key on every
/// call, validates create bodies (fields, types, ranges, the product's clusters, billing modes and disk limit), pages
/// lists (<c>pageSize</c>, <c>pageNum</c>, a fuzzy <c>name</c>), answers a missing instance with a 400
/// <c>RESOURCE_NOT_FOUND</c> as Novita's reference says, moves instances through creating, pulling and running (SSH up
/// after the checks) over time, removes deleted ones, and answers any injected error with its status and reason.
/// </summary>
public sealed class LocalNovita : IAsyncDisposable
{
    public const string ApiKey = "local-novita-key";
    public const string BasePath = "/gpu-instance/openapi/v1/";

    /// <summary>The operations whose calls are counted and can be made to fail (<see cref="FailNext"/>).</summary>
    public const string Create = "POST gpu/instance/create";
    public const string Get = "GET gpu/instance";
    public const string List = "GET gpu/instances";
    public const string Delete = "POST gpu/instance/delete";
    public const string Products = "GET products";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LocalNovitaInstance> _instances = new(StringComparer.Ordinal);
    private readonly HashSet<(string Cluster, string Product)> _outOfStock = [];
    private readonly ConcurrentQueue<(string Operation, NovitaErrorException Error)> _failNext = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private int _sequence;

    private LocalNovita(WebApplication app) => _app = app;

    /// <summary>The API's base, for <c>Providers:Novita:Endpoint</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>From the create until the container runs (creating, then pulling its image).</summary>
    public TimeSpan BootTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>From running until its SSH component is up.</summary>
    public TimeSpan ChecksTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>From a delete until the instance is removed.</summary>
    public TimeSpan ShutdownTime { get; set; } = TimeSpan.FromMilliseconds(500);

    public IReadOnlyList<LocalNovitaProduct> ProductList { get; set; } = LocalNovitaProduct.Defaults;

    /// <summary>The cluster ids <c>GET clusters</c> lists; null: every cluster of <see cref="ProductList"/>.</summary>
    public IReadOnlyList<string>? ClusterList { get; set; }

    private IEnumerable<string> Clusters => ClusterList ?? ProductList.SelectMany(p => p.Clusters).Distinct();

    /// <summary>Templates by id: their image and ports.</summary>
    public Dictionary<string, (string Image, string? Ports)> Templates { get; } = new(StringComparer.Ordinal)
    {
        ["1001"] = ("novita/pytorch:2.4.0-cuda12.4-ubuntu22.04", "8888/http, 22/tcp"),
    };

    /// <summary>The next creates are carried out, then answered with a 500: the caller cannot tell.</summary>
    public int LoseCreateAnswers { get; set; }

    /// <summary>Every request as <c>METHOD path?query</c>, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public IReadOnlyList<LocalNovitaInstance> Instances
    {
        get
        {
            lock (_gate)
            {
                return [.. _instances.Values.OrderBy(i => i.Sequence)];
            }
        }
    }

    public int CallsTo(string operation) => _calls.TryGetValue(operation, out var n) ? n : 0;

    /// <summary>Drops the injected errors no call has used up.</summary>
    public void ClearFailures() => _failNext.Clear();

    /// <summary>The next requests for <paramref name="operation"/> fail with these errors (after the key is checked).</summary>
    public void FailNext(string operation, params NovitaErrorException[] errors)
    {
        foreach (var error in errors)
        {
            _failNext.Enqueue((operation, error));
        }
    }

    /// <summary>The product has no stock in the cluster: its list shows it unavailable, and a create of it is refused.</summary>
    public void SetStock(string cluster, string productName, bool available)
    {
        lock (_gate)
        {
            if (available)
            {
                _outOfStock.Remove((cluster, productName));
            }
            else
            {
                _outOfStock.Add((cluster, productName));
            }
        }
    }

    /// <summary>Novita gives up on an accepted instance now, with this <c>statusError</c>.</summary>
    public void FailLater(string instanceId, string state, string message)
    {
        lock (_gate)
        {
            var instance = _instances[instanceId];
            instance.Failure = (state, message);
            instance.FailsAt = Clock.GetUtcNow();
        }
    }

    /// <summary>The instance is stopped outside the provisioner now, as from Novita's console.</summary>
    public DateTimeOffset StopOutside(string instanceId)
    {
        lock (_gate)
        {
            var now = Clock.GetUtcNow();
            _instances[instanceId].StoppedOutsideAt = now;
            return now;
        }
    }

    /// <summary>Novita reports a <c>statusError</c> on the running instance from now on.</summary>
    public void Impair(string instanceId, string state, string message)
    {
        lock (_gate)
        {
            _instances[instanceId].Impairment = (state, message);
        }
    }

    public static async Task<LocalNovita> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var novita = new LocalNovita(app);
        app.Run(novita.HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await novita.DisposeAsync();
            throw;
        }

        novita.Endpoint = new Uri(app.Urls.First().TrimEnd('/') + BasePath);
        return novita;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        try
        {
            if (request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
            {
                throw new NovitaErrorException("UNAUTHORIZED", "invalid api key", 401);
            }

            var path = request.Path.Value ?? string.Empty;
            if (!path.StartsWith(BasePath, StringComparison.Ordinal))
            {
                throw new NovitaErrorException("NOT_FOUND", $"no route {path}", 404);
            }

            var operation = $"{request.Method} {path[BasePath.Length..]}";
            _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);
            if (_failNext.TryPeek(out var next) && next.Operation == operation && _failNext.TryDequeue(out next))
            {
                throw next.Error;
            }

            var answer = operation switch
            {
                Products => ListProducts(request.Query),
                "GET clusters" => ListClusters(),
                "GET template" => GetTemplate(Required(request.Query, "templateId")),
                Create => await CreateAsync(request),
                Get => Show(Required(request.Query, "instanceId")),
                List => ListInstances(request.Query),
                Delete => DeleteInstance(await ReadBodyAsync(request)),
                _ => throw new NovitaErrorException("NOT_FOUND", $"no route {operation}", 404),
            };
            await WriteAsync(context, 200, answer);
        }
        catch (NovitaErrorException error)
        {
            if (error.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await WriteAsync(context, error.Status, new JsonObject { ["code"] = error.Status, ["reason"] = error.Reason, ["message"] = error.Message });
        }
    }

    private JsonObject ListProducts(IQueryCollection query)
    {
        var cluster = query["clusterId"].ToString();
        lock (_gate)
        {
            // Whether the real API refuses a cluster it does not list or answers no products is not documented: the
            // stricter reading, so no adapter comes to depend on the other.
            if (cluster.Length > 0 && !Clusters.Contains(cluster))
            {
                throw NovitaErrorException.Invalid($"clusterId {cluster} is not a cluster");
            }

            var products = ProductList.Where(p => cluster.Length == 0 || p.Clusters.Contains(cluster)).Select(p =>
            {
                var available = cluster.Length == 0 ? p.Clusters.Any(c => !_outOfStock.Contains((c, p.Name))) : !_outOfStock.Contains((cluster, p.Name));
                var methods = new JsonArray("onDemand", "monthly");
                if (p.SpotPricePerGpuHour is not null)
                {
                    methods.Add("spot");
                }

                return (JsonNode)new JsonObject
                {
                    ["id"] = p.Id,
                    ["name"] = p.Name,
                    ["cpuPerGpu"] = 16,
                    ["memoryPerGpu"] = 62,
                    ["diskPerGpu"] = 100,
                    ["availableDeploy"] = available,
                    ["minRootFS"] = 10,
                    ["maxRootFS"] = p.MaxRootFS,
                    ["regions"] = new JsonArray([.. p.Clusters.Select(c => (JsonNode)JsonValue.Create(c)!)]),
                    // As the reference's example: price a number, spotPrice a string, both in 1/100,000 USD per hour.
                    ["price"] = (long)(p.PricePerGpuHour * 100_000m),
                    ["spotPrice"] = p.SpotPricePerGpuHour is { } spot ? ((long)(spot * 100_000m)).ToString(CultureInfo.InvariantCulture) : "0",
                    ["billingMethods"] = methods,
                    ["inventoryState"] = available ? "normal" : "none",
                };
            });
            return new JsonObject { ["data"] = new JsonArray([.. products]) };
        }
    }

    private JsonObject ListClusters()
    {
        lock (_gate)
        {
            return new JsonObject { ["data"] = new JsonArray([.. Clusters.Select(c => (JsonNode)new JsonObject { ["id"] = c, ["name"] = c })]) };
        }
    }

    private JsonObject GetTemplate(string templateId) => Templates.TryGetValue(templateId, out var template)
        ? new JsonObject { ["template"] = new JsonObject { ["id"] = templateId, ["imageUrl"] = template.Image, ["ports"] = template.Ports } }
        : throw NovitaErrorException.NotFound($"template {templateId}");

    private async Task<JsonObject> CreateAsync(HttpRequest request)
    {
        var body = LocalNovitaCreateValidator.Validate(await ReadBodyAsync(request));
        LocalNovitaInstance instance;
        lock (_gate)
        {
            var product = ProductList.FirstOrDefault(p => p.Id == body.ProductId) ?? throw NovitaErrorException.NotFound($"product {body.ProductId}");
            var cluster = body.ClusterId ?? product.Clusters[0];
            if (!product.Clusters.Contains(cluster))
            {
                throw NovitaErrorException.Invalid($"product {product.Name} is not sold in cluster {cluster}");
            }

            if (body.RootfsSize > product.MaxRootFS)
            {
                throw NovitaErrorException.Invalid($"rootfsSize must be at most {product.MaxRootFS} for {product.Name}");
            }

            if (body.BillingMode == "spot" && product.SpotPricePerGpuHour is null)
            {
                throw new NovitaErrorException("UNSUPPORTED_BILLING_MODE", $"{product.Name} is not sold as spot");
            }

            if (_outOfStock.Contains((cluster, product.Name)))
            {
                throw NovitaErrorException.NoStock(product.Name, cluster);
            }

            var sequence = ++_sequence;
            instance = new LocalNovitaInstance
            {
                Id = $"{sequence:x4}{Guid.NewGuid():N}"[..16],
                Name = body.Name,
                ClusterId = cluster,
                ProductId = product.Id,
                ProductName = product.Name,
                GpuNum = body.GpuNum,
                RootfsSize = body.RootfsSize,
                ImageUrl = body.ImageUrl,
                BillingMode = body.BillingMode,
                Ports = body.Ports,
                Envs = body.Envs,
                CreatedAt = Clock.GetUtcNow(),
                Sequence = sequence,
            };
            _instances[instance.Id] = instance;
            if (LoseCreateAnswers > 0)
            {
                LoseCreateAnswers--;
                throw new NovitaErrorException("UNKNOWN", "the answer was lost", 500);
            }
        }

        return new JsonObject { ["id"] = instance.Id };
    }

    private JsonObject Show(string instanceId)
    {
        lock (_gate)
        {
            return _instances.TryGetValue(instanceId, out var instance) ? ToJson(instance) : throw NovitaErrorException.NotFound($"instance {instanceId}");
        }
    }

    private JsonObject ListInstances(IQueryCollection query)
    {
        var pageSize = RequiredInt(query, "pageSize");
        var pageNum = RequiredInt(query, "pageNum");
        var name = query["name"].ToString();
        lock (_gate)
        {
            var matching = _instances.Values.Where(i => i.Name.Contains(name, StringComparison.OrdinalIgnoreCase)).OrderBy(i => i.Sequence).ToList();
            var page = matching.Skip(Math.Max(pageNum - 1, 0) * pageSize).Take(pageSize).Select(i => (JsonNode)ToJson(i));
            return new JsonObject { ["instances"] = new JsonArray([.. page]), ["total"] = matching.Count };
        }
    }

    private JsonObject DeleteInstance(JsonObject body)
    {
        var id = body["instanceId"]?.GetValue<string>() ?? throw NovitaErrorException.Invalid("instanceId is required");
        lock (_gate)
        {
            if (!_instances.TryGetValue(id, out var instance) || StatusOf(instance).Status == "removed")
            {
                throw NovitaErrorException.NotFound($"instance {id}");
            }

            instance.DeleteRequestedAt ??= Clock.GetUtcNow();
        }

        return [];
    }

    private (string Status, bool SshUp, (string State, string Message)? Error) StatusOf(LocalNovitaInstance instance)
    {
        var now = Clock.GetUtcNow();
        if (instance.DeleteRequestedAt is { } deleting)
        {
            return (now - deleting < ShutdownTime ? "removing" : "removed", false, null);
        }

        if (instance.Failure is { } failure && now >= instance.FailsAt)
        {
            return ("exited", false, failure);
        }

        if (instance.StoppedOutsideAt is { } stopped)
        {
            return (now - stopped < ShutdownTime ? "stopping" : "exited", false, null);
        }

        var age = now - instance.CreatedAt;
        return age < BootTime / 2 ? ("creating", false, null)
            : age < BootTime ? ("pulling", false, null)
            : ("running", age >= BootTime + ChecksTime, instance.Impairment);
    }

    private JsonObject ToJson(LocalNovitaInstance instance)
    {
        var (status, sshUp, error) = StatusOf(instance);
        var running = status == "running";
        var host = $"203.0.113.{instance.Sequence % 250 + 1}";
        return new JsonObject
        {
            ["id"] = instance.Id,
            ["name"] = instance.Name,
            ["clusterId"] = instance.ClusterId,
            ["clusterName"] = instance.ClusterId,
            ["status"] = status,
            ["statusError"] = error is { } e ? new JsonObject { ["state"] = e.State, ["message"] = e.Message } : null,
            ["imageUrl"] = instance.ImageUrl,
            ["productId"] = instance.ProductId,
            ["productName"] = instance.ProductName,
            // The counts are strings on the wire, as Novita's reference shows.
            ["gpuNum"] = instance.GpuNum.ToString(CultureInfo.InvariantCulture),
            ["cpuNum"] = (16 * instance.GpuNum).ToString(CultureInfo.InvariantCulture),
            ["memory"] = (62 * instance.GpuNum).ToString(CultureInfo.InvariantCulture),
            ["rootfsSize"] = instance.RootfsSize,
            ["billingMode"] = instance.BillingMode,
            ["kind"] = "gpu",
            ["portMappings"] = running ? new JsonArray(new JsonObject { ["port"] = 22, ["endpoint"] = $"{host}:3{instance.Sequence % 10000:D4}", ["type"] = "tcp" }) : new JsonArray(),
            ["network"] = running ? new JsonObject { ["id"] = "net-local", ["ip"] = $"10.0.0.{instance.Sequence % 250 + 1}" } : null,
            ["connectComponentSSH"] = new JsonObject { ["sshCommand"] = running ? $"ssh root@{host} -p 3{instance.Sequence % 10000:D4}" : "", ["isRunning"] = sshUp },
            ["createdAt"] = instance.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["lastStoppedAt"] = instance.StoppedOutsideAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw NovitaErrorException.Invalid("Content-Type must be application/json");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<JsonNode>(request.Body) as JsonObject ?? throw NovitaErrorException.Invalid("the body must be a JSON object");
        }
        catch (JsonException)
        {
            throw NovitaErrorException.Invalid("the body is not JSON");
        }
    }

    private static string Required(IQueryCollection query, string name) =>
        query[name].ToString() is { Length: > 0 } value ? value : throw NovitaErrorException.Invalid($"{name} is required");

    private static int RequiredInt(IQueryCollection query, string name) =>
        int.TryParse(Required(query, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw NovitaErrorException.Invalid($"{name} must be an integer >= 0");

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
