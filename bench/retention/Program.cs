using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Provisioner.Core.Hosting;
using Provisioner.Core.Persistence;
using Provisioner.Core.Retention;

// Retention at scale: a backlog of finished instances (1,000,000 by default, each with its lifecycle events) that all
// ended 31-60 days ago, archived by the first run; then a day's worth of newly due instances (backlog / 30), the
// steady daily increment, archived as the recurring job would. Instances still within the 30 days stay.
//   dotnet run -c Release --project bench/retention -- <connection string> [backlog] [batch size]
var connectionString = args.Length > 0 ? args[0] : throw new ArgumentException("usage: <connection string> [backlog] [batch size]");
var backlog = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var batchSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : new RetentionOptions().BatchSize;
var daily = backlog / 30;
const int EventsPerInstance = 5;

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Provisioner"] = connectionString,
    ["Retention:FinishedInstanceDays"] = "30",
    ["Retention:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
}).Build();
var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
services.AddProvisionerCore(configuration);
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
var retention = provider.GetRequiredService<InstanceRetention>();

var generate = Stopwatch.StartNew();
await InstanceHistory.InsertAsync(dataSource, backlog, "now() - interval '60 days'", "interval '29 days'", ended: 1.0);
// Within the 30 days: must stay.
await InstanceHistory.InsertAsync(dataSource, daily, "now() - interval '20 days'", "interval '10 days'", ended: 1.0);
await FinishAsync(dataSource);
Console.WriteLine($"generated {backlog:N0} due + {daily:N0} recent finished instances, {EventsPerInstance} events each, in {generate.Elapsed.TotalSeconds:0.0} s");

var full = Stopwatch.StartNew();
var first = (await retention.RunAsync(CancellationToken.None))!;
full.Stop();
var perBatchMs = full.Elapsed.TotalMilliseconds / Math.Max(1, first.Batches);
Console.WriteLine($"backlog: {first.InstancesArchived:N0} instances archived in {full.Elapsed.TotalSeconds:0.0} s, {first.Batches:N0} batches of {batchSize:N0}, " +
    $"{perBatchMs:0} ms per batch, {first.InstancesArchived / full.Elapsed.TotalSeconds:N0} instances/s " +
    $"({first.InstancesArchived * (1 + EventsPerInstance) / full.Elapsed.TotalSeconds:N0} rows/s with events)");

// A day later: one day's worth of instances has crossed the 30 days.
await InstanceHistory.InsertAsync(dataSource, daily, "now() - interval '31 days'", "interval '22 hours'", ended: 1.0);
await FinishAsync(dataSource);
var increment = Stopwatch.StartNew();
var next = (await retention.RunAsync(CancellationToken.None))!;
increment.Stop();
var left = await ScalarAsync(dataSource, "SELECT count(*) FROM provisioner.instances");
Console.WriteLine($"daily increment: {next.InstancesArchived:N0} instances archived in {increment.Elapsed.TotalSeconds:0.00} s, {next.Batches} batches; {left:N0} recent instances left live");

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT backlog={first.InstancesArchived} full_s={full.Elapsed.TotalSeconds:0.0} batches={first.Batches} batch={batchSize} batch_ms={perBatchMs:0} " +
    $"per_s={first.InstancesArchived / full.Elapsed.TotalSeconds:0} rows_per_s={first.InstancesArchived * (1 + EventsPerInstance) / full.Elapsed.TotalSeconds:0} " +
    $"daily={next.InstancesArchived} daily_s={increment.Elapsed.TotalSeconds:0.00} left={left}"));

// The generator writes what the cost benchmark needs; retention also needs each instance's end as its status change,
// its cost settled (as the rollup would have), and the lifecycle events it would have had.
static async Task FinishAsync(NpgsqlDataSource dataSource)
{
    const string sql = $"""
        WITH fresh AS (
            UPDATE provisioner.instances SET status_changed_at = terminated_at, cost_settled = true
             WHERE NOT cost_settled AND terminated_at IS NOT NULL
            RETURNING id, created_at, terminated_at)
        INSERT INTO provisioner.instance_events (instance_id, from_status, to_status, at, cause)
        SELECT f.id, e.from_status, e.to_status, f.created_at + (f.terminated_at - f.created_at) * e.share, e.cause
          FROM fresh f
         CROSS JOIN (VALUES (NULL, 'PENDING', 0.0, 'requested'), ('PENDING', 'PROVISIONING', 0.01, 'launch requested'),
                            ('PROVISIONING', 'READY', 0.1, 'machine ready'), ('READY', 'TERMINATING', 0.95, 'client asked'),
                            ('TERMINATING', 'TERMINATED', 1.0, 'machine gone')) AS e(from_status, to_status, share, cause)
        """;
    await using var command = dataSource.CreateCommand(sql);
    command.CommandTimeout = 0;
    await command.ExecuteNonQueryAsync();
}

static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    return (long)(await command.ExecuteScalarAsync())!;
}
