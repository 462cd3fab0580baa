using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Provisioner.Api.Admin;
using Provisioner.Api.Instances;
using Provisioner.Tests.Builders;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Security;

/// <summary>Keys through their life: made by an operator, used by a tenant, revoked; and the first key, made from a shell.</summary>
public sealed class ApiKeyTests(ApiOnlyStack stack) : IClassFixture<ApiOnlyStack>
{
    [Fact]
    public async Task Operator_CreatesAKey_TheTenantUsesIt_RevokedItStopsWorking()
    {
        using var admin = stack.CreateClient(stack.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys", new { tenant = "acme", name = "acme CI", role = "tenant" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var key = (await created.Content.ReadFromJsonAsync<CreatedKeyResponse>(ProvisionerStack.Json))!;
        key.Secret.Should().StartWith($"prov_{key.Key.Id}_");
        key.Key.Tenant.Should().Be("acme");

        using var acme = stack.CreateClient(key.Secret);
        using var post = await acme.PostAsJsonAsync("/api/instances", InstanceRequestBuilder.Seed(InstanceRequestBuilder.UniqueUser()));
        post.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await post.Content.ReadFromJsonAsync<InstanceEnvelope>(ProvisionerStack.Json))!.Instance.Id;
        (await stack.Database.ScalarAsync<string>("SELECT owner FROM provisioner.instances WHERE id = $1", id)).Should().Be("acme",
            "the owner comes from the key, never from the body");
        using (var theirs = await stack.Client.GetAsync($"/api/instances/{id}"))
        {
            theirs.StatusCode.Should().Be(HttpStatusCode.NotFound, "another tenant cannot see it");
        }

        var list = (await admin.GetFromJsonAsync<ApiKeyListResponse>("/api/admin/keys", ProvisionerStack.Json))!;
        list.Keys.Should().Contain(k => k.Id == key.Key.Id);
        (await admin.GetStringAsync("/api/admin/keys")).Should().NotContain(key.Secret[18..], "secrets are shown once, at creation");

        using var revoke = await admin.DeleteAsync($"/api/admin/keys/{key.Key.Id}");
        revoke.StatusCode.Should().Be(HttpStatusCode.OK);
        (await revoke.Content.ReadFromJsonAsync<ApiKeyResponse>(ProvisionerStack.Json))!.RevokedAt.Should().NotBeNull();
        using var refused = await acme.GetAsync($"/api/instances/{id}");
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Fact]
    public async Task XApiKeyHeader_IsAcceptedLikeABearerToken()
    {
        using var client = stack.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", stack.TenantKey);

        using var response = await client.GetAsync("/api/instances");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeysCommand_CreatesAWorkingKeyFromTheShell()
    {
        var start = new ProcessStartInfo("dotnet", [RepositoryPaths.ApiDll, "keys", "create", "--tenant", "shell-tenant", "--role", "tenant"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Provisioner"] = stack.Database.ConnectionString;
        using var process = Process.Start(start)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, await process.StandardError.ReadToEndAsync());
        output.Should().MatchRegex("^prov_[A-Za-z0-9_-]{12}_[A-Za-z0-9_-]{43}$", "create prints only the key, for scripts");
        using var client = stack.CreateClient(output);
        (await client.GetAsync("/api/instances")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await stack.Database.ScalarAsync<string>("SELECT secret_hash FROM provisioner.api_keys WHERE tenant = 'shell-tenant'"))
            .Should().NotContain(output[18..], "only a hash of the secret is stored");
    }
}
