using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;
using Provisioner.Core.Providers;
using Provisioner.Core.Providers.Simulated;

namespace Provisioner.Core.Catalog.Check;

/// <summary>
/// Reads each configured cloud's own list of what it sells, for the catalog's families, in the regions the cloud lists
/// (Novita's clusters) or, for a cloud without such a list, the catalog's, and records the differences
/// (<see cref="CatalogMismatch"/>): an offer in a region the cloud does not list is unknown to it, and what the cloud
/// sells in a region the catalog lacks is not in the catalog. Idempotent: a run replaces a provider's findings with what it finds
/// now, keeping when each was first seen. A cloud that cannot be read keeps its previous findings: nothing is
/// concluded from a failed listing.
/// </summary>
public sealed class CatalogCheck(
    IDbContextFactory<ProvisionerDbContext> dbFactory,
    ICloudProviderResolver providers,
    InstanceTypeCatalog catalog,
    IOptions<CatalogCheckOptions> options,
    TimeProvider clock,
    ILogger<CatalogCheck> logger)
{
    public sealed record ProviderResult(CloudProviderName Provider, bool Checked, int Findings, string? Error);

    public async Task<IReadOnlyList<ProviderResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<ProviderResult>();
        foreach (var provider in catalog.Providers.Order())
        {
            var adapter = providers.ForRequested(provider);
            // A provider without an adapter of its own is served by the simulated cloud, which sells whatever it is
            // asked about: checking it would prove nothing about the real cloud.
            if (provider != CloudProviderName.Simulated && adapter.Name == SimulatedCloudProvider.BackendName)
            {
                continue;
            }

            results.Add(await CheckAsync(provider, adapter, cancellationToken));
        }

        return results;
    }

    private async Task<ProviderResult> CheckAsync(CloudProviderName provider, ICloudProvider adapter, CancellationToken cancellationToken)
    {
        var offers = catalog.All.Where(o => o.Provider == provider).ToList();
        IReadOnlyList<CloudSoldType> sold;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Value.ListTimeout);
            try
            {
                var regions = await adapter.ListRegionsAsync(timeout.Token) ?? catalog.RegionsOf(provider);
                sold = await adapter.ListSoldAsync(regions, [.. offers.Select(o => o.Name)], timeout.Token);
            }
            catch (Exception error) when (error is CloudProviderException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.ListUnreadable(error, provider);
                return new ProviderResult(provider, false, 0, error.Message);
            }
        }

        var findings = CatalogComparison.Compare(provider, offers, sold);
        await SaveAsync(provider, findings, cancellationToken);
        if (findings.Any(f => CatalogMismatchKind.Degrading.Contains(f.Kind)))
        {
            logger.DifferencesFound(provider, findings.Count);
        }

        return new ProviderResult(provider, true, findings.Count, null);
    }

    private async Task SaveAsync(CloudProviderName provider, IReadOnlyList<CatalogComparison.Finding> findings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.CatalogMismatches.Where(m => m.Provider == provider).ToListAsync(cancellationToken);
        var byKey = existing.ToDictionary(m => (m.Region, m.InstanceType, m.Kind));
        foreach (var finding in findings)
        {
            if (byKey.Remove((finding.Region, finding.InstanceType, finding.Kind), out var row))
            {
                row.SeenAgain(finding.CloudName, now);
            }
            else
            {
                db.CatalogMismatches.Add(new CatalogMismatch(provider, finding.Region, finding.InstanceType, finding.Kind, finding.CloudName, now));
            }
        }

        // What this check no longer finds has been resolved (the catalog or the cloud changed).
        db.CatalogMismatches.RemoveRange(byKey.Values);
        await db.SaveChangesAsync(cancellationToken);
    }
}
