using System.Net;
using System.Net.Http.Json;
using Provisioner.Api.Instances;
using Provisioner.Core.Tenancy;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Security;

/// <summary>The API alone; webhooks may point at one exempt loopback port (nothing is delivered: no worker).</summary>
public sealed class AuditStack : ProvisionerStack
{
    protected override int WorkerCount => 0;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Webhooks__AllowHttp"] = "true",
        ["Webhooks__AllowedHosts__0"] = "127.0.0.1:9",
    };
}

/// <summary>
/// Changes made through the API are on the console's audit list with the key that made them, when, and what was
/// before and after: keys created and revoked, budgets and webhooks set and removed, an instance ended by a tenant.
/// </summary>
public sealed class AuditTrailTests(AuditStack stack) : IClassFixture<AuditStack>
{
    [Fact]
    public async Task KeyCreatedAndRevoked_AreAudited_WithTheOperatorsKey()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys", new { tenant = "audited", name = "ci runner" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var keyId = (await created.Content.ReadFromJsonAsync<Provisioner.Api.Admin.CreatedKeyResponse>(ProvisionerStack.Json))!.Key.Id;
        (await admin.DeleteAsync($"/api/admin/keys/{keyId}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var entries = await EntriesAsync(keyId);

        entries.Select(e => e.Action).Should().Equal("create-key", "revoke-key");
        entries.Should().OnlyContain(e => e.KeyId == KeyIdOf(stack.AdminKey) && e.KeyName.StartsWith("operators: ", StringComparison.Ordinal));
        entries[0].Outcome.Should().Be("none → TENANT key 'ci runner' of tenant audited");
        entries[1].Outcome.Should().StartWith("active ('ci runner' of tenant audited) → revoked at ");
    }

    [Fact]
    public async Task BudgetAndWebhookChanges_AreAudited_BeforeAndAfter_WithTheTenantsKey()
    {
        var key = await stack.Database.CreateApiKeyAsync("tenant-audit");
        using var tenant = stack.CreateClient(key);

        (await tenant.PutAsJsonAsync("/api/budget", new { monthlyLimit = 100 })).EnsureSuccessStatusCode();
        (await tenant.PutAsJsonAsync("/api/budget", new { monthlyLimit = 250, perInstanceCap = 20 })).EnsureSuccessStatusCode();
        (await tenant.DeleteAsync("/api/budget")).EnsureSuccessStatusCode();
        (await tenant.PutAsJsonAsync("/api/webhook", new { url = "http://127.0.0.1:9/hooks/a" })).EnsureSuccessStatusCode();
        (await tenant.PutAsJsonAsync("/api/webhook", new { url = "http://127.0.0.1:9/hooks/b", events = new[] { "instance.ready" } })).EnsureSuccessStatusCode();
        (await tenant.PostAsync("/api/webhook/secret", null)).EnsureSuccessStatusCode();
        (await tenant.DeleteAsync("/api/webhook")).EnsureSuccessStatusCode();

        var entries = await EntriesAsync("tenant-audit");

        entries.Should().OnlyContain(e => e.KeyId == KeyIdOf(key) && e.KeyName.StartsWith("tenant-audit: ", StringComparison.Ordinal));
        entries.Select(e => (e.Action, e.Outcome)).Should().Equal(
            ("set-budget", "none → monthly limit 100, per instance none USD"),
            ("set-budget", "monthly limit 100, per instance none USD → monthly limit 250, per instance 20 USD"),
            ("remove-budget", "monthly limit 250, per instance 20 USD → none"),
            ("set-webhook", "none → http://127.0.0.1:9/hooks/a (instance.ready, instance.terminated, instance.failed)"),
            ("set-webhook", "http://127.0.0.1:9/hooks/a (instance.ready, instance.terminated, instance.failed) → http://127.0.0.1:9/hooks/b (instance.ready)"),
            ("rotate-webhook-secret", "a new signing secret (the previous one signs too until the overlap ends)"),
            ("remove-webhook", "http://127.0.0.1:9/hooks/b (instance.ready) → none"));
    }

    [Fact]
    public async Task InstanceEndedThroughTheApi_IsAudited_WithTheKeyThatEndedIt()
    {
        using var created = await stack.Client.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser("audit")));
        var id = (await created.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;

        (await stack.Client.DeleteAsync($"/api/instances/{id}")).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await stack.Client.DeleteAsync($"/api/instances/{id}")).Dispose(); // again: nothing new started, nothing new listed

        var entries = await EntriesAsync(id.ToString());
        entries.Should().ContainSingle().Which.Should().Be(new Entry(KeyIdOf(stack.TenantKey), entries[0].KeyName, "terminate-instance-api", "stop requested through the API"));
        entries[0].KeyName.Should().StartWith($"{ProvisionerStack.Tenant}: ");
    }

    private static string KeyIdOf(string key) => ApiKeySecret.TryParse(key, out var id, out _) ? id : throw new ArgumentException("not a key", nameof(key));

    private async Task<IReadOnlyList<Entry>> EntriesAsync(string target)
    {
        await using var connection = await stack.Database.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT key_id, key_name, action, outcome FROM provisioner.ops_audit WHERE target = $1 ORDER BY id", connection) { Parameters = { new() { Value = target } } };
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<Entry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new Entry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return entries;
    }

    private sealed record Entry(string KeyId, string KeyName, string Action, string Outcome);
}
