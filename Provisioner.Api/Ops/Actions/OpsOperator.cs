using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Provisioner.Api.Security;
using Provisioner.Core.Persistence;

namespace Provisioner.Api.Ops.Actions;

/// <summary>Who acts in the console: the admin key that opened the session (or was sent with the request), by id and name.</summary>
internal sealed record OpsOperator(string KeyId, string Name)
{
    public override string ToString() => $"{Name} ({KeyId})";

    public static async Task<OpsOperator> OfAsync(ClaimsPrincipal user, IDbContextFactory<ProvisionerDbContext> dbFactory, CancellationToken cancellationToken)
    {
        // The policy admitted the caller, so it has a key id; the name is read now, as it is when the action is taken.
        var keyId = user.KeyId() ?? throw new InvalidOperationException("An operator action was reached without an admin key.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.Name).SingleOrDefaultAsync(cancellationToken);
        return new OpsOperator(keyId, name ?? keyId);
    }
}
