using Microsoft.EntityFrameworkCore;

namespace Provisioner.Tests.Unit.Architecture.Fixtures.WrongWay;

/// <summary>A "domain" type made to break the dependency rule: it reaches into the database.</summary>
public sealed class DomainTypeThatQueriesTheDatabase
{
    public static Task<int> CountAsync(DbContext db) => db.Database.ExecuteSqlRawAsync("SELECT 1");
}

/// <summary>A "domain" type made to break the folder rule: it uses Core's persistence.</summary>
public sealed class DomainTypeThatUsesPersistence
{
    public static bool IsOpen(Provisioner.Core.Persistence.ProvisionerDbContext? db) => db is not null;
}
