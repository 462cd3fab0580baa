using Microsoft.EntityFrameworkCore;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Placement;

/// <summary>Reads an instance's launch attempts, in the order they happened.</summary>
public sealed class LaunchAttemptLog(IDbContextFactory<ProvisionerDbContext> dbFactory)
{
    public async Task<IReadOnlyList<LaunchAttempt>> ForAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.LaunchAttempts.AsNoTracking().Where(a => a.InstanceId == instanceId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }
}
