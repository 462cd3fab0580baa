using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Catalog.Check;

/// <summary>
/// The cloud's own spelling of a catalog type, as the last catalog check found it (<see cref="CatalogMismatchKind.SpelledDifferently"/>),
/// so a launch on any cloud with a list asks for the name the cloud sells rather than fail on case or a known alias.
/// Read at most once per <see cref="CacheTime"/> per process: launches are many, checks are hours apart.
/// </summary>
public sealed class CatalogSpellings(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private (DateTimeOffset ReadAt, IReadOnlyDictionary<(CloudProviderName, string, string), string> Names)? _cached;

    /// <summary>The name to launch <paramref name="instanceType"/> under in <paramref name="region"/>: the cloud's spelling when it differs, else the catalog's.</summary>
    public async Task<string> CloudNameAsync(CloudProviderName provider, string region, string instanceType, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(cancellationToken);
        return names.TryGetValue((provider, region, instanceType), out var cloudName) ? cloudName : instanceType;
    }

    private async Task<IReadOnlyDictionary<(CloudProviderName, string, string), string>> NamesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_cached is { } cached && now - cached.ReadAt < CacheTime)
            {
                return cached.Names;
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.CatalogMismatches.AsNoTracking()
            .Where(m => m.Kind == CatalogMismatchKind.SpelledDifferently && m.CloudName != null)
            .Select(m => new { m.Provider, m.Region, m.InstanceType, m.CloudName })
            .ToListAsync(cancellationToken);
        var names = rows.ToDictionary(r => (r.Provider, r.Region, r.InstanceType), r => r.CloudName!);
        lock (_gate)
        {
            _cached = (now, names);
        }

        return names;
    }
}
