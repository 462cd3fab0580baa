using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioner.Core.Hosting;
using Provisioner.Core.Persistence;

namespace Provisioner.Tests.Unit.Core.Persistence;

public sealed class MigrationsNamespaceTests
{
    // EF's own way (every type of the assembly, a Migration of this context with an id) stays the reference here.
    private static readonly string[] Scanned = typeof(ProvisionerDbContext).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(ProvisionerDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id)
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public async Task RegisteredContext_ListsTheSameMigrationsAsEfsScan_InIdOrder()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Provisioner"] = "Host=127.0.0.1;Database=unused" })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddProvisionerCore(configuration).BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<ProvisionerDbContext>>().CreateDbContextAsync();

        db.GetService<IMigrationsAssembly>().Should().BeOfType<MigrationsNamespace>();
        Scanned.Should().NotBeEmpty();
        db.Database.GetMigrations().Should().Equal(Scanned);
    }

    [Fact]
    public void TypeNamesIn_ReadsOnlyTheNamespacesTopLevelTypes()
    {
        var names = MigrationsNamespace.TypeNamesIn(typeof(ProvisionerDbContext).Assembly, MigrationsNamespace.Namespace);

        names.Should().NotBeEmpty().And.OnlyContain(n => n.StartsWith(MigrationsNamespace.Namespace + ".", StringComparison.Ordinal));
        names.Should().NotContain(n => n.Contains('+') || n.Contains('/'));
    }
}
