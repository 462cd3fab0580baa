using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Instances;

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

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place: changes committed after it wake held reads.</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ProvisionerCoreServices.ConnectionStringName))
        {
            MaxPoolSize = 1,
            ApplicationName = ApplicationName,
            NoResetOnClose = false,
        };
        await using var dataSource = NpgsqlDataSource.Create(settings);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var id))
                    {
                        waiters.Wake(id);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {InstanceChanges.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _listening.TrySetResult();
                waiters.WakeAll();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.ChangeFeedLost(error);
                waiters.WakeAll();
                try
                {
                    await Task.Delay(RetryDelay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
