using System.CommandLine;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner down ID [--wait]</c>: stop an instance; one that already ended is not an error.</summary>
internal static class DownCommand
{
    public static Command Create(CliGlobals globals)
    {
        var id = new Argument<Guid>("id") { Description = "The instance's id." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the cloud confirms it is gone." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits (default 00:10:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(10) };
        var command = new Command("down", "Stop an instance.") { id, wait, timeout };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var change = await client.TerminateInstanceAsync(parse.GetValue(id), ct);
            var instance = parse.GetValue(wait)
                ? await InstanceProgress.WaitAsync(client, output, change.Instance, ready: false, parse.GetValue(timeout), ct)
                : change.Instance;
            output.Write(instance, console =>
            {
                console.Write(InstanceTable.Detail(instance));
                if (change.Message is { } message)
                {
                    console.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
                }
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
