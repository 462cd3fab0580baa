using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Provisioner.Api.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;
using Xunit.Abstractions;

namespace Provisioner.Tests.Integration.Security;

/// <summary>
/// Hundreds of bad requests against the real API and database: missing, malformed, wrong and revoked keys on
/// every endpoint, the wrong role, other tenants' ids, malformed and oversized bodies, boundary values of every
/// field, injection strings in every string field, bad query strings and headers, and a burst past the rate
/// limit. Each must get the right status and problem code; the database must change only by what the few valid
/// requests among them did; no key may reach the logs. It prints the count of cases and of failures.
/// </summary>
public sealed class AbuseSuiteTests(AbuseStack stack, ITestOutputHelper output) : IClassFixture<AbuseStack>
{
    private static readonly string[] Injections =
    [
        "'; DROP TABLE instances;--", "\" OR 1=1 --", "$(rm -rf /)", "`id`", "<script>alert(1)</script>", "{{7*7}}${7*7}",
        "a\u0000b", "../../etc/passwd%00",
    ];

    [Fact]
    public async Task EveryBadRequest_GetsItsProblem_AndChangesNothing()
    {
        var world = await PrepareAsync();
        var cases = Cases(world).ToList();
        var before = await SnapshotAsync(world.ExistingIds);

        var failures = new List<string>();
        using (var mine = stack.CreateClient(world.RotatingKeys[0]))
        {
            // Isolation holds for lists and statistics too: another tenant's instances are simply not there.
            var listed = JsonNode.Parse(await mine.GetStringAsync($"/api/instances?userId={world.TheirUser}"))!;
            var stats = JsonNode.Parse(await mine.GetStringAsync($"/api/instances/stats?userId={world.TheirUser}"))!;
            if (listed["count"]!.GetValue<int>() != 0 || stats["statistics"]!["totalProvisioned"]!.GetValue<int>() != 0)
            {
                failures.Add("isolation: another tenant's instances showed in a list or in statistics");
            }
        }

        for (var i = 0; i < cases.Count; i++)
        {
            // Spread the cases over many keys of the same tenant: each key has its own rate budget.
            var outcome = await RunAsync(cases[i], world.RotatingKeys[i % world.RotatingKeys.Count]);
            if (outcome is not null)
            {
                failures.Add($"{cases[i].Name}: {outcome}");
            }
        }

        var burst = await BurstAsync(world);
        if (burst is not null)
        {
            failures.Add(burst);
        }

        var after = await SnapshotAsync(world.ExistingIds);
        var writes = cases.Count(c => c.Writes);
        var expected = before with
        {
            Instances = before.Instances + writes,
            Events = before.Events + writes,
            PendingWork = before.PendingWork + (2 * writes),
        };
        if (after != expected)
        {
            failures.Add($"database: expected {expected} after {writes} valid requests, found {after}");
        }

        var kept = Injections.Where(p => !p.Any(char.IsControl)).ToArray();
        var stored = await stack.Database.ScalarAsync<long>("SELECT count(DISTINCT purpose) FROM provisioner.instances WHERE purpose = ANY($1)", (object)kept);
        if (stored != kept.Length)
        {
            failures.Add($"free text: {stored} of {kept.Length} injection strings were stored verbatim as purpose");
        }

        foreach (var secret in world.Secrets.Where(s => stack.Api.Output.Contains(s, StringComparison.Ordinal)))
        {
            failures.Add($"logs: the API printed key material ({secret[..9]}…)");
        }

        var report = $"abuse suite: {cases.Count + 2} cases ({writes} valid), {failures.Count} failures" +
            (failures.Count == 0 ? string.Empty : Environment.NewLine + string.Join(Environment.NewLine, failures.Select(f => "  " + f)));
        output.WriteLine(report);
        TestReports.Write("abuse", report);
        cases.Count.Should().BeGreaterThanOrEqualTo(200);
        failures.Should().BeEmpty();
    }

    private async Task<string?> RunAsync(AbuseCase abuse, string rotatingKey)
    {
        using var request = new HttpRequestMessage(abuse.Method, abuse.Path);
        if (abuse.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(abuse.Body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", abuse.ContentType);
            // A body over the server's limit is refused (413) before it is read, and the connection closed: a client
            // still writing it then meets a broken pipe instead of the answer. Asking first, as a client sending a
            // large body should, lets the server answer before any of the body is sent.
            request.Headers.ExpectContinue = abuse.Body.Length > 64 * 1024;
        }

        var key = abuse.Key == World.Rotating ? rotatingKey : abuse.Key;
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }

        foreach (var (name, value) in abuse.Headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var client = stack.CreateClient(null);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != abuse.Status)
        {
            return $"status {(int)response.StatusCode}, expected {abuse.Status}: {Shorten(text)}";
        }

        if (abuse.Code is null)
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType}, expected a problem";
        }

        // The expected code is the problem's own, or (for validation) the one given for the failing field.
        var problem = JsonNode.Parse(text)!;
        var code = problem["code"]?.GetValue<string>();
        var errors = problem["errors"]?.AsArray().Select(e => (Field: e!["field"]!.GetValue<string>(), Code: e["code"]!.GetValue<string>())).ToList() ?? [];
        if (abuse.Field is null)
        {
            return code == abuse.Code ? null : $"code {code}, expected {abuse.Code}: {Shorten(text)}";
        }

        return errors.Any(e => e.Field == abuse.Field && (e.Code == abuse.Code || code == abuse.Code))
            ? null
            : $"no {abuse.Code} error for field {abuse.Field}: {Shorten(text)}";
    }

    private async Task<string?> BurstAsync(World world)
    {
        using var client = stack.CreateClient(world.BurstKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => client.GetAsync("/api/instance-types")));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        string? failure = null;
        if (limited.Count == 0 || ok > 35)
        {
            failure = $"burst: {ok} answered, {limited.Count} limited; expected the 30-request burst to hold";
        }
        else if (limited[0].Headers.RetryAfter is null
            || JsonNode.Parse(await limited[0].Content.ReadAsStringAsync())!["code"]!.GetValue<string>() != "rate_limited")
        {
            failure = "burst: a 429 without Retry-After or without code rate_limited";
        }

        using var other = stack.CreateClient(world.RotatingKeys[0]);
        using var unaffected = await other.GetAsync("/api/instance-types");
        foreach (var response in responses)
        {
            response.Dispose();
        }

        return failure ?? (unaffected.StatusCode == HttpStatusCode.OK ? null : "burst: another key was limited too");
    }

    private async Task<World> PrepareAsync()
    {
        var rotating = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            rotating.Add(await stack.Database.CreateApiKeyAsync(ProvisionerStack.Tenant));
        }

        var revoked = await stack.Database.CreateApiKeyAsync(ProvisionerStack.Tenant);
        await stack.Database.ScalarAsync<int>("UPDATE provisioner.api_keys SET revoked_at = now() WHERE id = $1 RETURNING 1", revoked[5..17]);
        var burstKey = await stack.Database.CreateApiKeyAsync(ProvisionerStack.Tenant);

        var mine = await CreateInstanceAsync(stack.Client, InstanceRequestBuilder.UniqueUser("own"));
        using var otherClient = stack.CreateClient(stack.OtherTenantKey);
        var otherUser = InstanceRequestBuilder.UniqueUser("other");
        var theirs = await CreateInstanceAsync(otherClient, otherUser);

        var validId = rotating[0][5..17];
        return new World(mine, theirs, otherUser, rotating, revoked, burstKey,
            WrongSecret: $"prov_{validId}_{new string('A', 43)}",
            UnknownKey: $"prov_{new string('Z', 12)}_{new string('B', 43)}",
            Secrets: [.. rotating, revoked, burstKey, stack.TenantKey, stack.OtherTenantKey, stack.AdminKey]);
    }

    private static async Task<Guid> CreateInstanceAsync(HttpClient client, string userId)
    {
        using var response = await client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(userId));
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        return (await response.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
    }

    private IEnumerable<AbuseCase> Cases(World w)
    {
        var valid = InstanceRequestBuilder.Seed("user-abuse").ToJsonString();
        var endpoints = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, "/api/instances", null),
            (HttpMethod.Get, $"/api/instances/{w.Mine}", null),
            (HttpMethod.Get, $"/api/instances/{w.Mine}/events", null),
            (HttpMethod.Get, "/api/instances/stats", null),
            (HttpMethod.Post, "/api/instances", valid),
            (HttpMethod.Delete, $"/api/instances/{w.Mine}", null),
            (HttpMethod.Post, $"/api/instances/{w.Mine}/heartbeat", null),
            (HttpMethod.Get, "/api/instance-types", null),
            (HttpMethod.Get, "/api/admin/keys", null),
        };
        var badCredentials = new (string Name, string? Key, Dictionary<string, string>? Headers)[]
        {
            ("no key", null, null),
            ("basic auth", null, new() { ["Authorization"] = "Basic dXNlcjpwYXNz" }),
            ("empty bearer", null, new() { ["Authorization"] = "Bearer" }),
            ("not a key", "not-a-key", null),
            ("truncated key", w.RotatingKeys[0][..30], null),
            ("wrong secret", w.WrongSecret, null),
            ("unknown key", w.UnknownKey, null),
            ("revoked key", w.Revoked, null),
            ("garbage X-Api-Key", null, new() { ["X-Api-Key"] = "'; DROP TABLE api_keys;--" }),
            ("two different keys", w.RotatingKeys[1], new() { ["X-Api-Key"] = stack.OtherTenantKey }),
            ("key in the query string", null, null),
        };
        foreach (var (method, path, body) in endpoints)
        {
            foreach (var (name, key, headers) in badCredentials)
            {
                var target = name == "key in the query string" ? $"{path}{(path.Contains('?') ? '&' : '?')}api_key={w.RotatingKeys[2]}" : path;
                yield return new AbuseCase($"{name}: {method} {path}", method, target, key, 401, "unauthorized", Body: body, Headers: headers);
            }
        }

        // Roles: tenants cannot administer; operators own no instances.
        yield return new AbuseCase("tenant on admin list", HttpMethod.Get, "/api/admin/keys", World.Rotating, 403, "forbidden");
        yield return new AbuseCase("tenant on admin create", HttpMethod.Post, "/api/admin/keys", World.Rotating, 403, "forbidden",
            Body: """{"tenant":"evil","name":"x","role":"admin"}""");
        yield return new AbuseCase("tenant on admin revoke", HttpMethod.Delete, $"/api/admin/keys/{stack.AdminKey[5..17]}", World.Rotating, 403, "forbidden");
        foreach (var (method, path, body) in endpoints.Take(7))
        {
            yield return new AbuseCase($"admin on {method} {path}", method, path, stack.AdminKey, 403, "forbidden", Body: body);
        }

        // Isolation: another tenant's instance is not there at all (404, not 403, so ids cannot be probed).
        yield return new AbuseCase("other tenant: get", HttpMethod.Get, $"/api/instances/{w.Theirs}", World.Rotating, 404, "instance_not_found");
        yield return new AbuseCase("other tenant: events", HttpMethod.Get, $"/api/instances/{w.Theirs}/events", World.Rotating, 404, "instance_not_found");
        yield return new AbuseCase("other tenant: delete", HttpMethod.Delete, $"/api/instances/{w.Theirs}", World.Rotating, 404, "instance_not_found");
        yield return new AbuseCase("other tenant: heartbeat", HttpMethod.Post, $"/api/instances/{w.Theirs}/heartbeat", World.Rotating, 404, "instance_not_found");
        yield return new AbuseCase("other tenant: list by their user", HttpMethod.Get, $"/api/instances?userId={w.TheirUser}", World.Rotating, 200, null);
        yield return new AbuseCase("other tenant: stats by their user", HttpMethod.Get, $"/api/instances/stats?userId={w.TheirUser}", World.Rotating, 200, null);
        yield return new AbuseCase("unknown id", HttpMethod.Get, $"/api/instances/{Guid.NewGuid()}", World.Rotating, 404, "instance_not_found");

        // Bodies: every malformed and invalid body of the validation tests, and more.
        foreach (var row in Integration.InvalidRequestTests.InvalidBodies())
        {
            yield return new AbuseCase($"body {row[1]} at {row[2]}", HttpMethod.Post, "/api/instances", World.Rotating, 400, (string)row[1], (string)row[2], Body: (string)row[0]);
        }

        yield return new AbuseCase("1 MiB body", HttpMethod.Post, "/api/instances", World.Rotating, 413, "payload_too_large",
            Body: $"{{\"userId\":\"{new string('u', 1 << 20)}\"}}");
        yield return new AbuseCase("nesting 200 deep", HttpMethod.Post, "/api/instances", World.Rotating, 400, "malformed_json",
            Body: $"{{\"userId\":\"u\",\"config\":{new string('[', 200)}{new string(']', 200)}}}");
        yield return new AbuseCase("500 tags", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "config.tags",
            Body: With(c => c["tags"] = new JsonObject(Enumerable.Range(0, 500).Select(i => KeyValuePair.Create<string, JsonNode?>($"k{i}", "v")))));
        yield return new AbuseCase("text/plain", HttpMethod.Post, "/api/instances", World.Rotating, 415, "unsupported_media_type", Body: valid, ContentType: "text/plain");
        yield return new AbuseCase("no content type", HttpMethod.Post, "/api/instances", World.Rotating, 415, "unsupported_media_type", Body: valid, ContentType: "");
        yield return new AbuseCase("put", HttpMethod.Put, "/api/instances", World.Rotating, 405, "method_not_allowed", Body: valid);
        yield return new AbuseCase("patch", HttpMethod.Patch, $"/api/instances/{w.Mine}", World.Rotating, 405, "method_not_allowed", Body: valid);
        yield return new AbuseCase("not a guid", HttpMethod.Get, "/api/instances/../../etc/passwd", World.Rotating, 404, "not_found");

        // Boundaries of every numeric field and length: both sides of each limit.
        foreach (var (field, value, ok) in new (string, int, bool)[]
        {
            ("diskSizeGB", 29, false), ("diskSizeGB", 30, true), ("diskSizeGB", 16_384, true), ("diskSizeGB", 16_385, false),
            ("diskSizeGB", 0, false), ("diskSizeGB", -1, false), ("diskSizeGB", int.MaxValue, false), ("diskSizeGB", int.MinValue, false),
            ("autoTerminateMinutes", 4, false), ("autoTerminateMinutes", 5, true), ("autoTerminateMinutes", 120, true), ("autoTerminateMinutes", 121, false),
            ("autoTerminateMinutes", 0, false), ("autoTerminateMinutes", -60, false),
            ("idleTerminateMinutes", 4, false), ("idleTerminateMinutes", 5, true), ("idleTerminateMinutes", 120, true), ("idleTerminateMinutes", 121, false),
        })
        {
            var body = With(c => c[field] = value);
            yield return ok
                ? new AbuseCase($"{field} = {value}", HttpMethod.Post, "/api/instances", World.Rotating, 202, null, Body: body, Writes: true)
                : new AbuseCase($"{field} = {value}", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", $"config.{field}", Body: body);
        }

        yield return new AbuseCase("diskSizeGB beyond int", HttpMethod.Post, "/api/instances", World.Rotating, 400, "malformed_json", "config.diskSizeGB",
            Body: valid.Replace("\"diskSizeGB\":100", "\"diskSizeGB\":2147483648", StringComparison.Ordinal));
        foreach (var (field, limit) in new[] { ("userId", 128), ("taskId", 128), ("purpose", 500) })
        {
            yield return new AbuseCase($"{field} of {limit}", HttpMethod.Post, "/api/instances", World.Rotating, 202, null,
                Body: WithTop(field, new string('x', limit)), Writes: true);
            yield return new AbuseCase($"{field} of {limit + 1}", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", field,
                Body: WithTop(field, new string('x', limit + 1)));
        }

        yield return new AbuseCase("40 tags", HttpMethod.Post, "/api/instances", World.Rotating, 202, null, Writes: true,
            Body: With(c => c["tags"] = new JsonObject(Enumerable.Range(0, 40).Select(i => KeyValuePair.Create<string, JsonNode?>($"k{i}", "v")))));
        yield return new AbuseCase("tag key of 128", HttpMethod.Post, "/api/instances", World.Rotating, 202, null, Writes: true,
            Body: With(c => c["tags"] = new JsonObject { [new string('k', 128)] = "v" }));
        yield return new AbuseCase("tag key of 129", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", null,
            Body: With(c => c["tags"] = new JsonObject { [new string('k', 129)] = "v" }));
        yield return new AbuseCase("tag value of 256", HttpMethod.Post, "/api/instances", World.Rotating, 202, null, Writes: true,
            Body: With(c => c["tags"] = new JsonObject { ["k"] = new string('v', 256) }));
        yield return new AbuseCase("tag value of 257", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "config.tags.k",
            Body: With(c => c["tags"] = new JsonObject { ["k"] = new string('v', 257) }));

        // Injection strings in every string field. Names and tags refuse them; free text keeps them verbatim.
        foreach (var (payload, n) in Injections.Select((p, n) => (p, n)))
        {
            yield return new AbuseCase($"injection {n} in userId", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "userId", Body: WithTop("userId", payload));
            yield return new AbuseCase($"injection {n} in taskId", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "taskId", Body: WithTop("taskId", payload));
            yield return new AbuseCase($"injection {n} in provider", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "config.provider", Body: With(c => c["provider"] = payload));
            yield return new AbuseCase($"injection {n} in instanceType", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "config.instanceType", Body: With(c => c["instanceType"] = payload));
            yield return new AbuseCase($"injection {n} in region", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "config.region", Body: With(c => c["region"] = payload));
            yield return new AbuseCase($"injection {n} in a tag key", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", null, Body: With(c => c["tags"] = new JsonObject { [payload] = "v" }));
            yield return new AbuseCase($"injection {n} in a tag value", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "config.tags.k", Body: With(c => c["tags"] = new JsonObject { ["k"] = payload }));
            yield return payload.Any(char.IsControl)
                ? new AbuseCase($"injection {n} in purpose", HttpMethod.Post, "/api/instances", World.Rotating, 400, "validation_failed", "purpose", Body: WithTop("purpose", payload))
                : new AbuseCase($"injection {n} in purpose (kept as text)", HttpMethod.Post, "/api/instances", World.Rotating, 202, null, Body: WithTop("purpose", payload), Writes: true);
            yield return new AbuseCase($"injection {n} in the status filter", HttpMethod.Get, $"/api/instances?status={Uri.EscapeDataString(payload)}", World.Rotating, 400, "invalid_query", "status");
            if (!payload.Any(char.IsControl))
            {
                // (A control character in a header is refused by Kestrel itself, before the API sees it.)
                var spaced = payload.Contains(' ', StringComparison.Ordinal);
                yield return new AbuseCase($"injection {n} in Idempotency-Key", HttpMethod.Post, "/api/instances", World.Rotating,
                    spaced ? 400 : 202, spaced ? "invalid_header" : null,
                    Body: valid, Headers: new Dictionary<string, string> { ["Idempotency-Key"] = payload + n }, Writes: !spaced);
            }
        }

        // Query strings.
        foreach (var (query, field) in new[]
        {
            ("limit=0", "limit"), ("limit=201", "limit"), ("limit=-1", "limit"), ("limit=abc", "limit"), ("limit=99999999999", "limit"),
            ("status=ready", "status"), ("status=", "status"), ("cursor=%00%00", "cursor"), ("cursor=" + new string('A', 500), "cursor"),
            ($"userId={new string('u', 129)}", "userId"),
        })
        {
            yield return new AbuseCase($"query {query[..Math.Min(query.Length, 30)]}", HttpMethod.Get, $"/api/instances?{query}", World.Rotating, 400, "invalid_query", field);
        }

        yield return new AbuseCase("instance-types for aws", HttpMethod.Get, "/api/instance-types?provider=aws", World.Rotating, 400, "invalid_query", "provider");
        yield return new AbuseCase("stats for a long userId", HttpMethod.Get, $"/api/instances/stats?userId={new string('u', 129)}", World.Rotating, 400, "invalid_query", "userId");
        yield return new AbuseCase("Idempotency-Key of 256", HttpMethod.Post, "/api/instances", World.Rotating, 400, "invalid_header", "Idempotency-Key",
            Body: valid, Headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 256) });

        // Operators' own endpoints refuse bad input too.
        foreach (var (name, body, field) in new[]
        {
            ("tenant with spaces", """{"tenant":"Bad Tenant","name":"x"}""", "tenant"),
            ("no tenant", """{"name":"x"}""", "tenant"),
            ("role root", """{"tenant":"t1","name":"x","role":"root"}""", "role"),
            ("name of 201", $$"""{"tenant":"t1","name":"{{new string('n', 201)}}"}""", "name"),
            ("name with a control character", """{"tenant":"t1","name":"a\u0007b"}""", "name"),
        })
        {
            yield return new AbuseCase($"admin create: {name}", HttpMethod.Post, "/api/admin/keys", stack.AdminKey, 400, "validation_failed", field, Body: body);
        }

        yield return new AbuseCase("admin revoke unknown", HttpMethod.Delete, "/api/admin/keys/nosuchkey", stack.AdminKey, 404, "key_not_found");
        yield return new AbuseCase("admin create: role tenant,admin", HttpMethod.Post, "/api/admin/keys", stack.AdminKey, 400, "validation_failed", "role",
            Body: """{"tenant":"t1","name":"x","role":"tenant,admin"}""");

        // Found by attacking the running stack (issue 23): each answered 500, guessed, or accepted what it should not.
        foreach (var path in new[] { "/api/instances?userId=%00", "/api/instances/stats?userId=%00", "/api/instances?userId=a%00b", "/api/webhook-deliveries?cursor=%00" })
        {
            yield return new AbuseCase($"NUL in {path}", HttpMethod.Get, path, World.Rotating, 400, "invalid_query", path.Contains("cursor", StringComparison.Ordinal) ? "cursor" : "userId");
        }

        foreach (var (path, field) in new[]
        {
            ("/api/instances/stats?groupBy=provider,instanceType", "groupBy"), ("/api/instances/stats?groupBy=day,%20region", "groupBy"),
            ("/api/instances/stats?groupBy=1", "groupBy"), ("/api/webhook-deliveries?outcome=pending,failed", "outcome"),
            ("/api/offers?gpu=A100&spot=never,required", "spot"),
        })
        {
            yield return new AbuseCase($"list as one value: {path}", HttpMethod.Get, path, World.Rotating, 400, "invalid_query", field);
        }

        yield return new AbuseCase("duplicate key at the top", HttpMethod.Post, "/api/instances", World.Rotating, 400, "malformed_json", "userId",
            Body: valid.Replace("{\"userId\":", "{\"userId\":\"first\",\"userId\":", StringComparison.Ordinal));
        yield return new AbuseCase("duplicate key in config", HttpMethod.Post, "/api/instances", World.Rotating, 400, "malformed_json", "config.diskSizeGB",
            Body: valid.Replace("\"diskSizeGB\":100", "\"diskSizeGB\":100,\"diskSizeGB\":30", StringComparison.Ordinal));
        yield return new AbuseCase("duplicate tag key", HttpMethod.Post, "/api/instances", World.Rotating, 400, "malformed_json", null,
            Body: With(c => c["tags"] = new JsonObject { ["k"] = "v" }).Replace("{\"k\":\"v\"}", "{\"k\":\"v\",\"k\":\"w\"}", StringComparison.Ordinal));
        yield return new AbuseCase("duplicate key in the budget", HttpMethod.Put, "/api/budget", World.Rotating, 400, "malformed_json", "monthlyLimit",
            Body: """{"monthlyLimit":10,"monthlyLimit":100000}""");
        yield return new AbuseCase("a 16 KiB URL", HttpMethod.Get, $"/api/instances?userId={new string('u', 16 * 1024)}", World.Rotating, 414, "uri_too_long");
        yield return new AbuseCase("jobs dashboard stats by GET", HttpMethod.Get, "/ops/jobs/stats", stack.AdminKey, 405, "method_not_allowed");
    }

    private static string With(Action<JsonObject> change)
    {
        var body = InstanceRequestBuilder.Seed("user-abuse");
        change(body["config"]!.AsObject());
        return body.ToJsonString();
    }

    private static string WithTop(string field, string value)
    {
        var body = InstanceRequestBuilder.Seed("user-abuse");
        body[field] = value;
        return body.ToJsonString();
    }

    private async Task<Snapshot> SnapshotAsync(IReadOnlyList<Guid> existing) => new(
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances"),
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instance_events"),
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work"),
        await stack.Database.ScalarAsync<string>("SELECT md5(string_agg(k::text, '' ORDER BY id)) FROM provisioner.api_keys k"),
        await stack.Database.ScalarAsync<string>("SELECT md5(string_agg(i::text, '' ORDER BY id)) FROM provisioner.instances i WHERE id = ANY($1)", existing.ToArray()));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Snapshot(long Instances, long Events, long PendingWork, string Keys, string ExistingInstances);

    private sealed record World(
        Guid Mine, Guid Theirs, string TheirUser, IReadOnlyList<string> RotatingKeys, string Revoked, string BurstKey,
        string WrongSecret, string UnknownKey, IReadOnlyList<string> Secrets)
    {
        /// <summary>Marks a case that uses one of the tenant's keys in turn.</summary>
        public const string Rotating = "<rotating>";

        public IReadOnlyList<Guid> ExistingIds => [Mine, Theirs];
    }
}
