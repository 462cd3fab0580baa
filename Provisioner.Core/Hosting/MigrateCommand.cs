using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Provisioner.Core.Persistence;

namespace Provisioner.Core.Hosting;

/// <summary><c>Provisioner.Api migrate</c> or <c>Provisioner.Worker migrate</c>: apply the schema and exit.</summary>
public static class MigrateCommand
{
    /// <returns>True when the arguments asked for the migrate step (which then ran), false to start normally.</returns>
    public static async Task<bool> TryRunAsync(IHost host, string[] args)
    {
        if (args.Length == 0 || !string.Equals(args[0], "migrate", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancel.Token);
        return true;
    }
}
