using System.CommandLine;
using Provisioner.Client;
using Provisioner.Client.Models;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner up --gpu A100 [--count N] [--max-price P] [--wait]</c>: request a machine by what it needs, or exactly.</summary>
internal static class UpCommand
{
    public static Command Create(CliGlobals globals)
    {
        var gpu = new Option<string?>("--gpu") { Description = "GPU model (T4, A10G, L4, A100, H100, RTX 4090 …): the cheapest fitting offer is chosen." };
        var count = new Option<int?>("--count") { Description = "GPUs on the machine, 1-8 (default 1)." };
        var maxPrice = new Option<decimal?>("--max-price") { Description = "The most to pay per hour for the machine, USD." };
        var providers = new Option<string[]>("--provider") { Description = "Allowed clouds (AWS, AZURE, NOVITA); with --type, the one cloud.", AllowMultipleArgumentsPerToken = true };
        var regions = new Option<string[]>("--region") { Description = "Allowed regions; with --type, the one region.", AllowMultipleArgumentsPerToken = true };
        var spot = new Option<string?>("--spot") { Description = "never (default), preferred or required." };
        var type = new Option<string?>("--type") { Description = "An exact instance type instead of --gpu (needs --provider and --region)." };
        var user = new Option<string?>("--user") { Description = "Who the machine is for (default $USER)." };
        var disk = new Option<int?>("--disk") { Description = "Disk, GB (default 100)." };
        var autoTerminate = new Option<int?>("--auto-terminate") { Description = "Minutes until it is stopped whatever happens (default 60)." };
        var key = new Option<string?>("--idempotency-key") { Description = "Send again with the same key and the same machine is answered, not a second one." };
        var wait = new Option<bool>("--wait") { Description = "Wait until it is READY, showing its progress and what the cloud said." };
        var waitCapacity = new Option<int?>("--wait-for-capacity") { Description = "Minutes to wait for capacity when every offer is refused (default 0: fail at once)." };
        var onInterruption = new Option<string?>("--on-interruption")
        {
            Description = "fail (default) or relaunch: when the cloud takes the machine away after READY, relaunch the instance on a new machine.",
        };
        onInterruption.AcceptOnlyFromAmong("fail", "relaunch");
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits (default 00:15:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(15) };
        var command = new Command("up", "Request a GPU machine.") { gpu, count, maxPrice, providers, regions, spot, type, user, disk, autoTerminate, key, waitCapacity, onInterruption, wait, timeout };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var request = new CreateInstanceRequest
            {
                UserId = parse.GetValue(user) ?? Environment.GetEnvironmentVariable("USER") ?? "cli",
                Purpose = "provisioner up",
                Config = Config(parse.GetValue(gpu), parse.GetValue(type), parse.GetValue(count), parse.GetValue(maxPrice),
                    parse.GetValue(providers) ?? [], parse.GetValue(regions) ?? [], parse.GetValue(spot), parse.GetValue(disk), parse.GetValue(autoTerminate)) with { CapacityWaitMinutes = parse.GetValue(waitCapacity) },
                OnInterruption = parse.GetValue(onInterruption),
            };
            var created = await client.CreateInstanceAsync(request, parse.GetValue(key), ct);
            var instance = created.Instance;
            if (parse.GetValue(wait))
            {
                instance = await InstanceProgress.WaitAsync(client, output, instance, ready: true, parse.GetValue(timeout), ct);
            }

            output.Write(instance, console =>
            {
                console.Write(InstanceTable.Detail(instance));
                if (created.Replayed)
                {
                    console.MarkupLine("[grey]Replayed: this idempotency key was already used; this is the machine it made.[/]");
                }
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static InstanceConfig Config(string? gpu, string? type, int? count, decimal? maxPrice, string[] providers, string[] regions,
        string? spot, int? disk, int? autoTerminate)
    {
        if ((gpu is null) == (type is null))
        {
            throw new UsageException("Give --gpu (the cheapest fitting offer) or --type with --provider and --region (an exact machine), not both.");
        }

        if (type is not null)
        {
            if (providers.Length != 1 || regions.Length != 1 || count is not null || maxPrice is not null)
            {
                throw new UsageException("--type needs exactly one --provider and one --region, and takes no --count or --max-price.");
            }

            return new InstanceConfig { Provider = providers[0], InstanceType = type, Region = regions[0], DiskSizeGB = disk, AutoTerminateMinutes = autoTerminate };
        }

        return new InstanceConfig
        {
            DiskSizeGB = disk,
            AutoTerminateMinutes = autoTerminate,
            Requirements = new Requirements(gpu!, count, null, maxPrice, providers.Length > 0 ? providers : null, regions.Length > 0 ? regions : null, spot),
        };
    }
}
