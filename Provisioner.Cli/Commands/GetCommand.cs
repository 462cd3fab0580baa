using System.CommandLine;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner get ID</c>: one instance, every field; after an interruption, every machine it had with its bill.</summary>
internal static class GetCommand
{
    public static Command Create(CliGlobals globals)
    {
        var id = new Argument<Guid>("id") { Description = "The instance's id." };
        var command = new Command("get", "Show one instance.") { id };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var instance = await client.GetInstanceAsync(parse.GetValue(id), ct);
            // Only an interrupted instance has had more than one machine: the one extra call is made for it alone.
            var machines = instance.Interruptions > 0 ? await client.GetInstanceMachinesAsync(instance.Id, ct) : [];
            output.Write(instance, console =>
            {
                console.Write(InstanceTable.Detail(instance));
                if (machines.Count > 0)
                {
                    console.Write(InstanceTable.Machines(machines));
                }
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
