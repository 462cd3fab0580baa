using Npgsql;
using Provisioner.Core.Hosting;

namespace Provisioner.Worker.Jobs;

/// <summary>
/// A worker's connections that carry session state: the relays' and the job threads' <c>LISTEN</c>
/// (<see cref="OutboxRelay"/>, <see cref="JobWakeUpListener"/>) and the recurring passes' session advisory locks
/// (<see cref="MaintenanceJobs"/>). A pool of their own that resets a returned connection, so the steps' pool can skip
/// its reset (<c>StatelessConnections</c>): a lock whose release failed, or a LISTEN on a connection that went back,
/// is wiped here and never reaches a step's connection, where a stray session lock would stop a pass in every worker
/// for as long as that connection lived.
/// </summary>
internal sealed class SessionConnections(NpgsqlDataSource dataSource) : IAsyncDisposable, IDisposable
{
    /// <summary>Connections held beyond the maintenance threads: the two relays' and the wake-up's LISTEN, and the two frequent passes.</summary>
    private const int Fixed = 3 + 2;

    /// <summary>The pool's settings: the operator's connection string, named and sized for these few long-lived users.</summary>
    internal static NpgsqlConnectionStringBuilder Settings(IConfiguration configuration, JobsOptions options, string node) =>
        new(configuration.GetConnectionString(ProvisionerCoreServices.ConnectionStringName))
        {
            MaxPoolSize = Fixed + options.MaintenanceWorkerCount,
            ApplicationName = $"provisioner-sessions:{node}",
            // Whatever the connection string says: this pool exists to reset.
            NoResetOnClose = false,
        };

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
