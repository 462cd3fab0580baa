using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;
using Provisioner.Core.Persistence;

namespace Provisioner.Api.Instances.Waiting;

/// <summary>
/// This API process's one LISTEN connection on <see cref="InstanceChanges.Channel"/>: each notice wakes the reads held
/// on that instance. After a lost connection it reconnects and wakes every held read once, since notices sent
/// meanwhile are gone; until then the reads' fallback poll covers the gap.
/// </summary>
/// <remarks>
/// Its own one-connection pool with session reset, apart from the API's stateless pool: a LISTEN needs a session
/// of its own for as long as it lives.
/// </remarks>
public sealed class InstanceChangeFeed(
    InstanceChangeWaiters waiters,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<InstanceChangeFeed> logger) : BackgroundService
{
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The feed's connections name themselves so, which is how operators (and tests) find its backend.</summary>
    public const string ApplicationName = "provisioner-api-changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ProvisionerCoreServices.ConnectionStringName))
        {
            MaxPoolSize = 1,
            ApplicationName = ApplicationName,
            NoResetOnClose = false,
        };
        await using var dataSource = NpgsqlDataSource.Create(settings);
        await ListenLoop.RunAsync(
            dataSource.OpenConnectionAsync,
            InstanceChanges.Channel,
            payload =>
            {
                if (Guid.TryParse(payload, out var id))
                {
                    waiters.Wake(id);
                }
            },
            waiters.WakeAll,
            error =>
            {
                logger.ChangeFeedLost(error);
                waiters.WakeAll();
            },
            RetryDelay,
            clock,
            stoppingToken);
    }
}
