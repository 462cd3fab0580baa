using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Provisioner.Tests.Fakes.Ec2;

/// <summary>
/// A local EC2 Query API (version 2016-11-15) on loopback, strict where the real one is: it verifies SigV4,
/// refuses unknown or malformed parameters, keeps machines through EC2's states, honours ClientToken
/// idempotency (same token and parameters: same reservation; other parameters: IdempotentParameterMismatch),
/// filters by tag and state, pages with NextToken, reports status checks (DescribeInstanceStatus) that pass a while
/// after a machine runs, ends machines for its own reasons when told (a late capacity failure, a spot reclaim), and
/// can be told to fail, throttle or be slow.
/// </summary>
public sealed partial class LocalEc2 : IAsyncDisposable
{
    public const string AccessKey = "AKIDLOCALEC2EXAMPLE";
    public const string SecretKey = "local/ec2/secret/key/for/tests/only/EXAMPLE";
    private const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private static readonly HashSet<string> KnownTypes = ["p2.xlarge", "p2.8xlarge", "p3.2xlarge", "g4dn.xlarge", "g4dn.12xlarge", "g5.xlarge", "g5.12xlarge", "g6.xlarge", "g6.12xlarge", "p4d.24xlarge", "p5.48xlarge"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, LocalEc2Instance> _instances = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentQueue<(string Action, Ec2ErrorException Error)> _failNext = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly object _launchLock = new();
    private int _sequence;

    private LocalEc2(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public TimeSpan PendingTime { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ShutdownTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>From running until its status checks pass.</summary>
    public TimeSpan StatusCheckTime { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan Latency { get; set; }

    public IReadOnlyCollection<LocalEc2Instance> Instances => [.. _instances.Values];

    /// <summary>The next RunInstances calls are carried out, then answered with a 500: the caller cannot tell.</summary>
    public int LoseRunInstancesAnswers { get; set; }

    public int CallsTo(string action) => _calls.TryGetValue(action, out var n) ? n : 0;

    /// <summary>EC2 ends the machine for its own reason, as when capacity runs out after the launch or a spot machine is reclaimed.</summary>
    public void EndByCloud(string instanceId, string reasonCode, string reasonMessage)
    {
        var instance = _instances[instanceId];
        instance.StateReason = (reasonCode, reasonMessage);
        instance.TerminateRequestedAt = Clock.GetUtcNow() - ShutdownTime;
    }

    /// <summary>The machine is stopped outside the provisioner now, as from EC2's console: EC2 writes the time into <c>reason</c>.</summary>
    public DateTimeOffset StopOutside(string instanceId)
    {
        var now = Clock.GetUtcNow();
        var instance = _instances[instanceId];
        instance.StoppedOutsideAt = now;
        instance.StateReason = ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
        return now;
    }

    /// <summary>The machine's instance status check fails from now on (reachability): EC2 reports it <c>impaired</c>.</summary>
    public void Impair(string instanceId) => _instances[instanceId].ImpairedSince = Clock.GetUtcNow();

    /// <summary>The next requests for <paramref name="action"/> fail with these errors (after their signature is checked).</summary>
    public void FailNext(string action, params Ec2ErrorException[] errors)
    {
        foreach (var error in errors)
        {
            _failNext.Enqueue((action, error));
        }
    }

    /// <summary>Drops the failures still queued (a refusal that lasted until the test saw what it needed).</summary>
    public void ClearFailures() => _failNext.Clear();

    public static async Task<LocalEc2> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var ec2 = new LocalEc2(app);
        app.MapMethods("/", ["GET", "POST"], ec2.HandleAsync);
        await app.StartAsync();
        ec2.Endpoint = new Uri(app.Urls.First());
        return ec2;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var parameters = Parse(context.Request.QueryString.Value ?? string.Empty);
        foreach (var (key, value) in Parse(Encoding.UTF8.GetString(body)))
        {
            parameters[key] = value;
        }

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        try
        {
            var region = RegionOf(headers);
            if (SigV4Verifier.Verify(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty,
                    headers, body, AccessKey, SecretKey, "ec2", Clock.GetUtcNow()) is { } authError)
            {
                throw new Ec2ErrorException(authError, authError == "AuthFailure"
                    ? "AWS was not able to validate the provided access credentials"
                    : "The request signature is missing, incomplete or expired.", authError == "AuthFailure" ? 401 : 400);
            }

            var action = Required(parameters, "Action");
            if (Required(parameters, "Version") != "2016-11-15")
            {
                throw new Ec2ErrorException("InvalidParameterValue", "Version must be 2016-11-15.");
            }

            _calls.AddOrUpdate(action, 1, (_, n) => n + 1);
            if (_failNext.TryPeek(out var injected) && injected.Action == action && _failNext.TryDequeue(out injected))
            {
                throw injected.Error;
            }

            var result = action switch
            {
                "RunInstances" => RunInstances(parameters, region),
                "DescribeInstances" => DescribeInstances(parameters, region),
                "DescribeInstanceStatus" => DescribeInstanceStatus(parameters, region),
                "TerminateInstances" => TerminateInstances(parameters, region),
                "DescribeInstanceTypeOfferings" => DescribeInstanceTypeOfferings(parameters, region),
                _ => throw new Ec2ErrorException("InvalidAction", $"The action {action} is not valid for this web service."),
            };
            if (action == "RunInstances" && LoseRunInstancesAnswers > 0)
            {
                LoseRunInstancesAnswers--;
                throw new Ec2ErrorException("InternalError", "An internal error has occurred.", 500);
            }

            result.AddFirst(new XElement(XName.Get("requestId", Namespace), Guid.NewGuid().ToString()));
            await WriteAsync(context, 200, new XDocument(result));
        }
        catch (Ec2ErrorException error)
        {
            await WriteAsync(context, error.Status, new XDocument(new XElement("Response",
                new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
                new XElement("RequestID", Guid.NewGuid().ToString()))));
        }
    }

    private XElement RunInstances(Dictionary<string, string> p, string region)
    {
        Allow(p, "Action", "Version", "ImageId", "InstanceType", "MinCount", "MaxCount", "ClientToken", "UserData", "SubnetId",
            "InstanceInitiatedShutdownBehavior", @"SecurityGroupId\.\d+", @"BlockDeviceMapping\.1\.(DeviceName|Ebs\.(VolumeSize|VolumeType|DeleteOnTermination))",
            @"TagSpecification\.\d+\.(ResourceType|Tag\.\d+\.(Key|Value))", @"InstanceMarketOptions\.(MarketType|SpotOptions\.(MaxPrice|SpotInstanceType|InstanceInterruptionBehavior))");
        var imageId = Required(p, "ImageId");
        if (!AmiRegex().IsMatch(imageId))
        {
            throw new Ec2ErrorException("InvalidAMIID.Malformed", $"Invalid id: \"{imageId}\" (expecting \"ami-...\" or \"resolve:ssm:...\")");
        }

        var type = Required(p, "InstanceType");
        if (!KnownTypes.Contains(type))
        {
            throw new Ec2ErrorException("InvalidParameterValue", $"Invalid value '{type}' for InstanceType.");
        }

        if (Required(p, "MinCount") != "1" || Required(p, "MaxCount") != "1")
        {
            throw new Ec2ErrorException("InvalidParameterValue", "This local EC2 launches one instance per request.");
        }

        if (p.TryGetValue("UserData", out var userData) && !IsBase64(userData))
        {
            throw new Ec2ErrorException("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
        }

        if (p.TryGetValue("InstanceInitiatedShutdownBehavior", out var shutdown) && shutdown is not ("stop" or "terminate"))
        {
            throw new Ec2ErrorException("InvalidParameterValue", $"Invalid value '{shutdown}' for InstanceInitiatedShutdownBehavior.");
        }

        if (p.TryGetValue("BlockDeviceMapping.1.Ebs.VolumeSize", out var size) && (!int.TryParse(size, out var gib) || gib is < 1 or > 65_536))
        {
            throw new Ec2ErrorException("InvalidParameterValue", $"Volume of {size}GiB is out of range.");
        }

        var tags = TagsOf(p);
        var token = p.GetValueOrDefault("ClientToken") ?? Guid.NewGuid().ToString();
        if (token.Length > 64)
        {
            throw new Ec2ErrorException("InvalidClientToken", "The specified client token is not valid.");
        }

        var fingerprint = string.Join('&', p.Where(kv => kv.Key is not ("ClientToken" or "Action" or "Version")).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={kv.Value}"));
        lock (_launchLock)
        {
            if (_tokens.TryGetValue($"{region}/{token}", out var existingId))
            {
                var existing = _instances[existingId];
                if (existing.LaunchParameters["fingerprint"] != fingerprint)
                {
                    throw new Ec2ErrorException("IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.");
                }

                return Reservation("RunInstancesResponse", existing, inner: true);
            }

            var n = Interlocked.Increment(ref _sequence);
            var instance = new LocalEc2Instance
            {
                InstanceId = $"i-{n:x17}",
                ReservationId = $"r-{n:x17}",
                InstanceType = type,
                ImageId = imageId,
                ClientToken = token,
                Region = region,
                LaunchTime = Clock.GetUtcNow(),
                PrivateIp = $"10.1.{n / 250 % 250}.{n % 250 + 1}",
                PublicIp = $"198.51.100.{n % 250 + 1}",
                Tags = tags,
                LaunchParameters = new Dictionary<string, string>(p) { ["fingerprint"] = fingerprint },
            };
            _instances[instance.InstanceId] = instance;
            _tokens[$"{region}/{token}"] = instance.InstanceId;
            return Reservation("RunInstancesResponse", instance, inner: true);
        }
    }

    private XElement DescribeInstances(Dictionary<string, string> p, string region)
    {
        Allow(p, "Action", "Version", @"InstanceId\.\d+", @"Filter\.\d+\.(Name|Value\.\d+)", "MaxResults", "NextToken");
        var ids = Indexed(p, "InstanceId");
        if (ids.Count > 0 && p.ContainsKey("MaxResults"))
        {
            throw new Ec2ErrorException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        var inRegion = _instances.Values.Where(i => i.Region == region && !Forgotten(i)).OrderBy(i => i.ReservationId, StringComparer.Ordinal).ToList();
        var missing = ids.Where(id => inRegion.All(i => i.InstanceId != id)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2ErrorException("InvalidInstanceID.NotFound", $"The instance ID '{string.Join(", ", missing)}' does not exist");
        }

        var selected = ids.Count > 0 ? inRegion.Where(i => ids.Contains(i.InstanceId)) : inRegion;
        foreach (var (name, values) in Filters(p))
        {
            selected = selected.Where(i => Matches(i, name, values)).ToList();
        }

        var page = selected.ToList();
        string? next = null;
        if (p.TryGetValue("MaxResults", out var max))
        {
            if (!int.TryParse(max, out var limit) || limit is < 5 or > 1000)
            {
                throw new Ec2ErrorException("InvalidParameterValue", "MaxResults must be between 5 and 1000.");
            }

            var start = p.TryGetValue("NextToken", out var token) ? page.FindIndex(i => i.ReservationId == token) + 1 : 0;
            var rest = page.Skip(start).ToList();
            page = [.. rest.Take(limit)];
            next = rest.Count > limit ? page[^1].ReservationId : null;
        }

        var root = new XElement(XName.Get("DescribeInstancesResponse", Namespace),
            new XElement(XName.Get("reservationSet", Namespace), page.Select(i => new XElement(XName.Get("item", Namespace), Reservation("x", i, inner: false).Elements()))));
        if (next is not null)
        {
            root.Add(new XElement(XName.Get("nextToken", Namespace), next));
        }

        return root;
    }

    private XElement DescribeInstanceStatus(Dictionary<string, string> p, string region)
    {
        Allow(p, "Action", "Version", @"InstanceId\.\d+", "IncludeAllInstances", "MaxResults", "NextToken");
        var ids = Indexed(p, "InstanceId");
        if (ids.Count > 0 && p.ContainsKey("MaxResults"))
        {
            throw new Ec2ErrorException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        if (ids.Count > 100)
        {
            throw new Ec2ErrorException("InvalidParameterValue", "At most 100 instance IDs may be given.");
        }

        var inRegion = _instances.Values.Where(i => i.Region == region && !Forgotten(i)).OrderBy(i => i.ReservationId, StringComparer.Ordinal).ToList();
        var missing = ids.Where(id => inRegion.All(i => i.InstanceId != id)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2ErrorException("InvalidInstanceID.NotFound", $"The instance ID '{string.Join(", ", missing)}' does not exist");
        }

        // Like EC2: without IncludeAllInstances only running machines have a status.
        var all = p.GetValueOrDefault("IncludeAllInstances") == "true";
        var selected = inRegion.Where(i => (ids.Count == 0 || ids.Contains(i.InstanceId)) && (all || StateOf(i).Code == 16));
        var items = selected.Select(i =>
        {
            var passed = i.ChecksPassAt(Clock.GetUtcNow(), PendingTime, StatusCheckTime);
            var status = StateOf(i).Code == 16 ? passed ? "ok" : "initializing" : "not-applicable";
            XElement Summary(string name, DateTimeOffset? impairedSince = null)
            {
                var detail = new XElement(XName.Get("item", Namespace), E("name", "reachability"), E("status", passed ? "passed" : "initializing"));
                if (impairedSince is { } since && passed)
                {
                    detail = new XElement(XName.Get("item", Namespace), E("name", "reachability"), E("status", "failed"),
                        E("impairedSince", since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
                }

                return new(XName.Get(name, Namespace), E("status", impairedSince is not null && passed ? "impaired" : status),
                    new XElement(XName.Get("details", Namespace), detail));
            }

            return new XElement(XName.Get("item", Namespace),
                E("instanceId", i.InstanceId), E("availabilityZone", i.Region + "a"), State("instanceState", StateOf(i)),
                Summary("systemStatus"), Summary("instanceStatus", i.ImpairedSince));
        });
        return new XElement(XName.Get("DescribeInstanceStatusResponse", Namespace), new XElement(XName.Get("instanceStatusSet", Namespace), items));
    }

    private XElement TerminateInstances(Dictionary<string, string> p, string region)
    {
        Allow(p, "Action", "Version", @"InstanceId\.\d+");
        var ids = Indexed(p, "InstanceId");
        if (ids.Count == 0)
        {
            throw new Ec2ErrorException("MissingParameter", "The request must contain the parameter InstanceId");
        }

        var missing = ids.Where(id => !_instances.TryGetValue(id, out var i) || i.Region != region || Forgotten(i)).ToList();
        if (missing.Count > 0)
        {
            throw new Ec2ErrorException("InvalidInstanceID.NotFound", $"The instance ID '{string.Join(", ", missing)}' does not exist");
        }

        var items = ids.Select(id =>
        {
            var instance = _instances[id];
            var previous = StateOf(instance);
            if (instance.TerminateRequestedAt is null)
            {
                instance.TerminateRequestedAt = Clock.GetUtcNow();
                instance.StateReason = ("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");
            }

            var current = StateOf(instance);
            return new XElement(XName.Get("item", Namespace),
                new XElement(XName.Get("instanceId", Namespace), id),
                State("currentState", current), State("previousState", previous));
        });
        return new XElement(XName.Get("TerminateInstancesResponse", Namespace), new XElement(XName.Get("instancesSet", Namespace), items));
    }

    private XElement Reservation(string root, LocalEc2Instance i, bool inner)
    {
        var (code, name) = StateOf(i);
        var instance = new XElement(XName.Get("item", Namespace),
            E("instanceId", i.InstanceId), E("imageId", i.ImageId), State("instanceState", (code, name)), E("instanceType", i.InstanceType),
            E("launchTime", i.LaunchTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            new XElement(XName.Get("placement", Namespace), E("availabilityZone", i.Region + "a")),
            E("privateIpAddress", i.PrivateIp), E("clientToken", i.ClientToken),
            new XElement(XName.Get("tagSet", Namespace), i.Tags.Select(t => new XElement(XName.Get("item", Namespace), E("key", t.Key), E("value", t.Value)))));
        if (code == 16)
        {
            instance.Add(E("ipAddress", i.PublicIp));
        }

        if (i.StoppedOutsideAt is { } stoppedAt)
        {
            instance.Add(E("reason", $"User initiated ({stoppedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} GMT)"));
        }

        if (i.StateReason is { } reason)
        {
            instance.Add(new XElement(XName.Get("stateReason", Namespace), E("code", reason.Code), E("message", reason.Message)));
        }

        var element = new XElement(XName.Get(root, Namespace), E("reservationId", i.ReservationId), E("ownerId", "123456789012"),
            new XElement(XName.Get("instancesSet", Namespace), instance));
        return element;
    }

    private (int Code, string Name) StateOf(LocalEc2Instance i) => i.StateAt(Clock.GetUtcNow(), PendingTime, ShutdownTime);

    private bool Forgotten(LocalEc2Instance i) => i.TerminateRequestedAt is { } at && Clock.GetUtcNow() - at > TimeSpan.FromHours(1);

    private bool Matches(LocalEc2Instance i, string name, List<string> values) => name switch
    {
        "instance-state-name" => values.Contains(StateOf(i).Name),
        "tag-key" => values.Any(i.Tags.ContainsKey),
        "client-token" => values.Contains(i.ClientToken),
        _ when name.StartsWith("tag:", StringComparison.Ordinal) => i.Tags.TryGetValue(name[4..], out var v) && values.Contains(v),
        _ => throw new Ec2ErrorException("InvalidParameterValue", $"The filter '{name}' is invalid"),
    };

    private static XElement E(string name, string value) => new(XName.Get(name, Namespace), value);

    private static XElement State(string name, (int Code, string Name) state) =>
        new(XName.Get(name, Namespace), E("code", state.Code.ToString(CultureInfo.InvariantCulture)), E("name", state.Name));

    private static Dictionary<string, string> TagsOf(Dictionary<string, string> p)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var spec = 1; p.TryGetValue($"TagSpecification.{spec}.ResourceType", out var type); spec++)
        {
            if (type is not ("instance" or "volume" or "network-interface" or "spot-instances-request"))
            {
                throw new Ec2ErrorException("InvalidParameterValue", $"'{type}' is not a valid taggable resource type for this operation.");
            }

            for (var n = 1; p.TryGetValue($"TagSpecification.{spec}.Tag.{n}.Key", out var key); n++)
            {
                if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) || key.Length > 128)
                {
                    throw new Ec2ErrorException("InvalidParameterValue", $"Tag key '{key}' is not valid.");
                }

                if (type == "instance")
                {
                    tags[key] = p.GetValueOrDefault($"TagSpecification.{spec}.Tag.{n}.Value") ?? string.Empty;
                }
            }
        }

        return tags;
    }

    private static List<(string Name, List<string> Values)> Filters(Dictionary<string, string> p)
    {
        var filters = new List<(string, List<string>)>();
        for (var n = 1; p.TryGetValue($"Filter.{n}.Name", out var name); n++)
        {
            filters.Add((name, Indexed(p, $"Filter.{n}.Value")));
        }

        return filters;
    }

    private static List<string> Indexed(Dictionary<string, string> p, string prefix)
    {
        var values = new List<string>();
        for (var n = 1; p.TryGetValue($"{prefix}.{n}", out var value); n++)
        {
            values.Add(value);
        }

        return values;
    }

    private static void Allow(Dictionary<string, string> p, params string[] patterns)
    {
        var allowed = new Regex($"^({string.Join('|', patterns)})$");
        foreach (var name in p.Keys.Where(k => !allowed.IsMatch(k)))
        {
            throw new Ec2ErrorException("UnknownParameter", $"The parameter {name} is not recognized");
        }
    }

    private static string Required(Dictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new Ec2ErrorException("MissingParameter", $"The request must contain the parameter {name}");

    private static string RegionOf(Dictionary<string, string> headers) =>
        headers.TryGetValue("authorization", out var authorization) && CredentialRegex().Match(authorization) is { Success: true } m
            ? m.Groups["region"].Value
            : "us-east-1";

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    private static Dictionary<string, string> Parse(string form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in form.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            result[WebUtility.UrlDecode(parts[0])] = WebUtility.UrlDecode(parts.Length > 1 ? parts[1] : string.Empty);
        }

        return result;
    }

    private static Task WriteAsync(HttpContext context, int status, XDocument document)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml;charset=UTF-8";
        return context.Response.WriteAsync(document.ToString(SaveOptions.DisableFormatting));
    }

    [GeneratedRegex("^(ami-[0-9a-f]{8,17}|resolve:ssm:/[A-Za-z0-9_./-]+)$")]
    private static partial Regex AmiRegex();

    [GeneratedRegex(@"Credential=[^/]+/\d{8}/(?<region>[a-z0-9-]+)/ec2/aws4_request")]
    private static partial Regex CredentialRegex();
}
