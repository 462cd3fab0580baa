using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Security;
using Provisioner.Core.Operations;
using Provisioner.Core.Persistence;

namespace Provisioner.Api.Ops.Actions;

/// <summary>
/// Writes a change made through the API to the audit list the console shows: which key (id and name, as it was
/// then; a tenant's key too), what, to which record, when, and what it was before and after. Written after the
/// change is made, so a change is never listed that did not happen.
/// </summary>
internal sealed class AuditTrail(IDbContextFactory<ProvisionerDbContext> dbFactory, TimeProvider clock)
{
    public async Task RecordAsync(ClaimsPrincipal user, string action, string target, Guid? instanceId, string outcome, CancellationToken cancellationToken)
    {
        var keyId = user.KeyId() ?? throw new InvalidOperationException("A change was made without a key.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.Tenant + ": " + k.Name).SingleOrDefaultAsync(cancellationToken);
        db.OpsAudit.Add(new OpsAuditEntry(keyId, name ?? keyId, action, target, instanceId, outcome, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>"before → after", each side in words (or "none").</summary>
    public static string Change(string? before, string? after) => $"{before ?? "none"} → {after ?? "none"}";
}
