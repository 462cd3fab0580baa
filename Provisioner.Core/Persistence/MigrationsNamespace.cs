using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace Provisioner.Core.Persistence;

/// <summary>
/// Our migrations, found by name in their namespace instead of by loading every type of Provisioner.Core. EF's own
/// <c>MigrationsAssembly</c> lists an assembly's types to find its migrations, and loading the cloud adapters' types
/// (their async state machines hold SDK types) loaded AWSSDK.EC2, AWSSDK.Core, Azure.ResourceManager.Compute,
/// Azure.ResourceManager, Azure.Core and System.ClientModel into every API and worker at its first readiness check
/// (<c>GetPendingMigrationsAsync</c>), whether or not it configures that cloud. This reads the type names from the
/// assembly's metadata and loads only the types in <see cref="Namespace"/>; the selection after that is EF's (a
/// <see cref="Migration"/> of this context, ordered by its id). MigrationsNamespaceTests compares it with EF's scan.
/// </summary>
#pragma warning disable EF1001 // MigrationsAssembly is EF's internal implementation: this keeps all of it but the listing.
internal sealed class MigrationsNamespace(
    ICurrentDbContext currentContext,
    IDbContextOptions options,
    IMigrationsIdGenerator idGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
#pragma warning restore EF1001
{
    public const string Namespace = "Provisioner.Core.Persistence.Migrations";

    // The same for every context of the process: the assembly does not change while it runs.
    private static readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> Listed = new(List);

    public override IReadOnlyDictionary<string, TypeInfo> Migrations => Listed.Value;

    // The migrations are hand-written, without a model snapshot; EF's lookup of one would scan every type too.
    public override ModelSnapshot? ModelSnapshot => null;

    private static SortedList<string, TypeInfo> List()
    {
        var assembly = typeof(ProvisionerDbContext).Assembly;
        var result = new SortedList<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var name in TypeNamesIn(assembly, Namespace))
        {
            var type = assembly.GetType(name, throwOnError: true)!.GetTypeInfo();
            var id = type.GetCustomAttribute<MigrationAttribute>()?.Id;
            if (id is not null && type.IsSubclassOf(typeof(Migration))
                && type.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(ProvisionerDbContext))
            {
                result.Add(id, type);
            }
        }

        return result;
    }

    /// <summary>The full names of the top-level types declared in one namespace, read from metadata: nothing is loaded.</summary>
    internal static List<string> TypeNamesIn(Assembly assembly, string ns)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            if (type.GetDeclaringType().IsNil && metadata.StringComparer.Equals(type.Namespace, ns))
            {
                names.Add($"{ns}.{metadata.GetString(type.Name)}");
            }
        }

        return names;
    }
}
