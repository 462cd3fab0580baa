using System.CommandLine;
using Provisioner.Cli.Commands;

namespace Provisioner.Cli;

/// <summary>The <c>provisioner</c> command: its subcommands, the options they share, and how an outcome becomes an exit code.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment)
    {
        var globals = new CliGlobals(environment);
        var root = new RootCommand("Rent GPU machines from a Provisioner API. Exit codes: 0 done, 2 usage, 3 refused, 4 not found, " +
            "5 instance failed, 6 timed out, 7 not authorized, 8 API unavailable, 1 unexpected.");
        foreach (var option in globals.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(UpCommand.Create(globals));
        root.Subcommands.Add(ListCommand.Create(globals));
        root.Subcommands.Add(GetCommand.Create(globals));
        root.Subcommands.Add(EventsCommand.Create(globals));
        root.Subcommands.Add(DownCommand.Create(globals));
        root.Subcommands.Add(OffersCommand.Create(globals));
        root.Subcommands.Add(CostsCommand.Create(globals));
        root.Subcommands.Add(KeysCommand.Create(globals));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run 'provisioner --help' for usage.");
            return ExitCodes.Usage;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops waiting; the machine is left as it is (see 'provisioner down').
            e.Cancel = true;
            cancel.Cancel();
        };
        return await parsed.InvokeAsync(cancellationToken: cancel.Token);
    }
}
