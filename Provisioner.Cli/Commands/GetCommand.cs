using System.CommandLine;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner get ID</c>: one instance, every field.</summary>
internal static class GetCommand
{
    public static Command Create(CliGlobals globals)
    {
        var id = new Argument<Guid>("id") { Description = "The instance's id." };
        var command = new Command("get", "Show one instance.") { id };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var instance = await client.GetInstanceAsync(parse.GetValue(id), ct);
            output.Write(instance, console => console.Write(InstanceTable.Detail(instance)));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
