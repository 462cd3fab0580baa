using Provisioner.Client.Models;

namespace Provisioner.Client;

/// <summary><c>/api/admin/pools</c>: warm pools, for an operator's (admin) key only.</summary>
public sealed partial class ProvisionerClient
{
    /// <summary>Defines a warm pool; the refill launches its machines.</summary>
    [ApiOperation("POST", "/api/admin/pools")]
    public Task<Pool> CreatePoolAsync(CreatePoolRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<Pool>(HttpMethod.Post, "/api/admin/pools", request, cancellationToken);

    [ApiOperation("GET", "/api/admin/pools")]
    public async Task<IReadOnlyList<Pool>> ListPoolsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<PoolList>(HttpMethod.Get, "/api/admin/pools", null, cancellationToken).ConfigureAwait(false)).Pools;

    [ApiOperation("GET", "/api/admin/pools/{id}")]
    public Task<Pool> GetPoolAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Pool>(HttpMethod.Get, $"/api/admin/pools/{id}", null, cancellationToken);

    /// <summary>Resizes a pool or changes its tenants; what is null stays.</summary>
    [ApiOperation("PATCH", "/api/admin/pools/{id}")]
    public Task<Pool> UpdatePoolAsync(Guid id, UpdatePoolRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<Pool>(HttpMethod.Patch, $"/api/admin/pools/{id}", request, cancellationToken);

    /// <summary>Deletes a pool: no draws from now on, its machines are released; deleting again changes nothing.</summary>
    [ApiOperation("DELETE", "/api/admin/pools/{id}")]
    public Task<Pool> DeletePoolAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<Pool>(HttpMethod.Delete, $"/api/admin/pools/{id}", null, cancellationToken);

    private sealed record PoolList(IReadOnlyList<Pool> Pools);
}
