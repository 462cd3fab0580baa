using System.CommandLine;
using Provisioner.Client.Models;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner ls</c>: instances, newest first.</summary>
internal static class ListCommand
{
    public static Command Create(CliGlobals globals)
    {
        var status = new Option<string?>("--status") { Description = "Only this status (READY, RUNNING, TERMINATED …)." };
        var user = new Option<string?>("--user") { Description = "Only this user's." };
        var limit = new Option<int>("--limit") { Description = "At most this many (default 50).", DefaultValueFactory = _ => 50 };
        var command = new Command("ls", "List instances, newest first.") { status, user, limit };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var wanted = parse.GetValue(limit);
            if (wanted < 1)
            {
                throw new UsageException("--limit must be at least 1.");
            }

            var instances = new List<Instance>();
            await foreach (var instance in client.ListAllInstancesAsync(new InstanceQuery(parse.GetValue(user), parse.GetValue(status), Math.Min(wanted, 200)), ct))
            {
                instances.Add(instance);
                if (instances.Count == wanted)
                {
                    break;
                }
            }

            output.Write(instances, console => console.Write(InstanceTable.Rows(instances)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
