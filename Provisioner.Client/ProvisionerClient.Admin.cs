using Provisioner.Client.Models;

namespace Provisioner.Client;

/// <summary><c>/api/admin/keys</c>: for an operator's (admin) key only.</summary>
public sealed partial class ProvisionerClient
{
    /// <summary>Creates a key; its secret is in this answer only.</summary>
    [ApiOperation("POST", "/api/admin/keys")]
    public Task<CreatedApiKey> CreateApiKeyAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "/api/admin/keys", request, cancellationToken);

    [ApiOperation("GET", "/api/admin/keys")]
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<KeyList>(HttpMethod.Get, "/api/admin/keys", null, cancellationToken).ConfigureAwait(false)).Keys;

    /// <summary>Revokes a key; revoking it again changes nothing.</summary>
    [ApiOperation("DELETE", "/api/admin/keys/{id}")]
    public Task<ApiKey> RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<ApiKey>(HttpMethod.Delete, $"/api/admin/keys/{Escape(id)}", null, cancellationToken);

    private sealed record KeyList(IReadOnlyList<ApiKey> Keys);
}
