using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Provisioner.Core.Billing;
using Provisioner.Core.Hosting;
using Provisioner.Core.Persistence;

// The cost rollup at scale: a month of history (1,000,000 finished instances by default) folded for the first time,
// then an hour's new work (instances launched in the last hour, some still running) folded as the recurring job would.
//   dotnet run -c Release --project bench/costs -- <connection string> [instances] [new instances per hour]
var connectionString = args.Length > 0 ? args[0] : throw new ArgumentException("usage: <connection string> [instances] [new per hour]");
var historical = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var hourly = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2_000;

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Provisioner"] = connectionString,
}).Build();
var services = new ServiceCollection();
services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
services.AddProvisionerCore(configuration);
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
var rollup = provider.GetRequiredService<CostRollup>();

var generate = Stopwatch.StartNew();
await InstanceHistory.InsertAsync(dataSource, historical, "now() - interval '30 days'", "interval '30 days' - interval '3 hours'", ended: 1.0);
Console.WriteLine($"generated {historical:N0} historical instances in {generate.Elapsed.TotalSeconds:0.0} s");

var full = Stopwatch.StartNew();
var first = await rollup.RunAsync(CancellationToken.None);
full.Stop();
Console.WriteLine($"first full rollup: {full.Elapsed.TotalSeconds:0.00} s, {first.InstancesFolded:N0} instances, {first.BucketsWritten:N0} bucket updates");

var increments = new List<double>();
for (var hour = 0; hour < 3; hour++)
{
    // An hour's work: new instances launched within the last hour, a quarter still running (they stay unsettled
    // and are folded again by every run, as live instances are).
    await InstanceHistory.InsertAsync(dataSource, hourly, "now() - interval '1 hour'", "interval '55 minutes'", ended: 0.75);
    var increment = Stopwatch.StartNew();
    var run = await rollup.RunAsync(CancellationToken.None);
    increment.Stop();
    increments.Add(increment.Elapsed.TotalMilliseconds);
    Console.WriteLine($"hourly increment {hour + 1}: {increment.Elapsed.TotalMilliseconds:0} ms, {run.InstancesFolded:N0} instances folded, {run.InstancesSettled:N0} settled");
}

increments.Sort();
Console.WriteLine($"RESULT instances={historical} full_s={full.Elapsed.TotalSeconds:0.00} increment_median_ms={increments[1]:0} increment_max_ms={increments[^1]:0} hourly={hourly}");
