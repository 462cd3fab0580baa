using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration;

/// <summary>
/// Every bad request gets a specific RFC 9457 problem with a stable code and the failing field, and
/// changes nothing: the database is compared before and after. The API runs alone here (no worker), so
/// nothing else writes while the snapshot is taken.
/// </summary>
public sealed class InvalidRequestTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    public static TheoryData<string, string, string> InvalidBodies()
    {
        var data = new TheoryData<string, string, string>();
        void Add(string code, string field, Action<JsonObject> change)
        {
            var body = InstanceRequestBuilder.Seed("user-123");
            change(body);
            data.Add(body.ToJsonString(), code, field);
        }

        var config = (JsonObject b) => b["config"]!.AsObject();
        Add("disk_size_too_small", "config.diskSizeGB", b => config(b)["diskSizeGB"] = 29);
        Add("disk_size_too_large", "config.diskSizeGB", b => config(b)["diskSizeGB"] = 16_385);
        Add("auto_terminate_out_of_range", "config.autoTerminateMinutes", b => config(b)["autoTerminateMinutes"] = 4);
        Add("auto_terminate_out_of_range", "config.autoTerminateMinutes", b => config(b)["autoTerminateMinutes"] = 121);
        Add("idle_terminate_out_of_range", "config.idleTerminateMinutes", b => config(b)["idleTerminateMinutes"] = 4);
        Add("idle_terminate_out_of_range", "config.idleTerminateMinutes", b => config(b)["idleTerminateMinutes"] = 121);
        Add("unknown_provider", "config.provider", b => config(b)["provider"] = "GCP");
        Add("unknown_provider", "config.provider", b => config(b)["provider"] = "azure");
        Add("required", "config.provider", b => config(b).Remove("provider"));
        Add("instance_type_not_offered", "config.instanceType", b => config(b)["instanceType"] = "p3.2xlarge");
        Add("required", "config.instanceType", b => config(b)["instanceType"] = "");
        Add("region_not_offered", "config.region", b => config(b)["region"] = "us-east-1");
        Add("required", "config.region", b => config(b).Remove("region"));
        Add("required", "userId", b => b.Remove("userId"));
        Add("too_long", "userId", b => b["userId"] = new string('u', 129));
        Add("invalid_characters", "userId", b => b["userId"] = "user 123");
        Add("invalid_characters", "userId", b => b["userId"] = "user\u0000123");
        Add("invalid_characters", "taskId", b => b["taskId"] = "task;DROP TABLE instances");
        Add("too_long", "purpose", b => b["purpose"] = new string('p', 501));
        Add("invalid_characters", "purpose", b => b["purpose"] = "line\u0007bell");
        Add("required", "config", b => b.Remove("config"));
        Add("required", "config", b => b["config"] = null);
        Add("too_many_tags", "config.tags", b => config(b)["tags"] = new JsonObject(Enumerable.Range(0, 41).Select(i => KeyValuePair.Create<string, JsonNode?>($"k{i}", "v"))));
        Add("tag_key_reserved", "config.tags.provisioner:instance-id", b => config(b)["tags"] = new JsonObject { ["provisioner:instance-id"] = "x" });
        Add("tag_key_reserved", "config.tags.aws:cloudformation", b => config(b)["tags"] = new JsonObject { ["aws:cloudformation"] = "x" });
        Add("tag_key_invalid", "config.tags.", b => config(b)["tags"] = new JsonObject { [""] = "x" });
        Add("tag_key_invalid", "config.tags.a<b", b => config(b)["tags"] = new JsonObject { ["a<b"] = "x" });
        Add("tag_value_invalid", "config.tags.env", b => config(b)["tags"] = new JsonObject { ["env"] = "<script>alert(1)</script>" });
        Add("tag_value_invalid", "config.tags.env", b => config(b)["tags"] = new JsonObject { ["env"] = new string('v', 257) });
        Add("tag_value_invalid", "config.tags.env", b => config(b)["tags"] = new JsonObject { ["env"] = null });
        Add("malformed_json", "config.diskSizeGB", b => config(b)["diskSizeGB"] = "100");
        Add("malformed_json", "config.diskSizeGB", b => config(b)["diskSizeGB"] = 10_000_000_000);
        Add("malformed_json", "config.diskSizeGB", b => config(b)["diskSizeGB"] = 100.5);
        Add("malformed_json", "colour", b => b["colour"] = "blue");
        Add("malformed_json", "config.gpuCount", b => config(b)["gpuCount"] = 4);
        Add("malformed_json", "userId", b => b["userId"] = 123);
        Add("invalid_value", "onInterruption", b => b["onInterruption"] = "retry");
        Add("invalid_value", "onInterruption", b => b["onInterruption"] = "RELAUNCH");
        void AddNovita(string code, string field, Action<JsonObject> change)
        {
            var body = new JsonObject { ["name"] = "fine-tune-1", ["productName"] = "RTX 4090 24GB", ["templateId"] = 1001, ["gpuNum"] = 1, ["rootfsSize"] = 60 };
            change(body);
            data.Add(body.ToJsonString(), code, field);
        }

        AddNovita("mixed_request_shapes", "body", b => b["userId"] = "user-123");
        AddNovita("mixed_request_shapes", "body", b => b["config"] = InstanceRequestBuilder.Seed("user-123")["config"]!.DeepClone());
        AddNovita("required", "name", b => b["name"] = "");
        AddNovita("product_not_found", "productName", b => b["productName"] = "Voodoo 3");
        AddNovita("invalid_template_id", "templateId", b => b["templateId"] = -3);
        AddNovita("required", "templateId", b => b.Remove("templateId"));
        AddNovita("gpu_num_out_of_range", "gpuNum", b => b["gpuNum"] = 9);
        AddNovita("rootfs_size_out_of_range", "rootfsSize", b => b["rootfsSize"] = 5);
        AddNovita("region_not_offered", "region", b => b["region"] = "us-east-1");
        AddNovita("invalid_value", "onInterruption", b => b["onInterruption"] = "ignore");
        data.Add("{\"userId\": ", "malformed_json", "userId");
        data.Add("[]", "malformed_json", "body");
        data.Add("null", "required", "body");
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Post_InvalidBody_AnswersProblemWithCodeAndFieldAndChangesNothing(string body, string code, string field)
    {
        var before = await SnapshotAsync();

        using var response = await stack.Client.PostAsync("/api/instances", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().Should().Be(400);
        problem["type"]!.GetValue<string>().Should().StartWith("https://provisioner.dev/problems/");
        var errors = problem["errors"]!.AsArray().Select(e => (Field: e!["field"]!.GetValue<string>(), Code: e["code"]!.GetValue<string>())).ToList();
        errors.Should().Contain((field, code), $"the problem was: {problem}");
        (await SnapshotAsync()).Should().Be(before, "a rejected request writes nothing");
    }

    [Fact]
    public async Task Post_WithoutJsonContentType_Answers415AndChangesNothing()
    {
        var before = await SnapshotAsync();

        using var response = await stack.Client.PostAsync("/api/instances",
            new StringContent(InstanceRequestBuilder.Seed("user-123").ToJsonString(), Encoding.UTF8, "text/plain"));

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<string>().Should().Be("unsupported_media_type");
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Post_ValidBody_IsSeenByTheSnapshot()
    {
        // The control for the tests above: a valid request does show up in the same snapshot.
        var before = await SnapshotAsync();

        using var response = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var after = await SnapshotAsync();
        after.Instances.Should().Be(before.Instances + 1);
        after.Events.Should().Be(before.Events + 1);
        after.PendingWork.Should().Be(before.PendingWork + 2, "the launch and the auto-termination deadline");
    }

    private async Task<Snapshot> SnapshotAsync() => new(
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instances"),
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.instance_events"),
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM provisioner.pending_work"),
        await stack.Database.ScalarAsync<long>("SELECT count(*) FROM simulated_cloud.machines"),
        await stack.Database.ScalarAsync<string>("SELECT coalesce(md5(string_agg(i::text, '' ORDER BY id)), '') FROM provisioner.instances i"));

    private sealed record Snapshot(long Instances, long Events, long PendingWork, long Machines, string InstancesDigest);
}
