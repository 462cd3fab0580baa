using System.CommandLine;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner costs [--from D] [--to D]</c>: spend per day, and against always-on.</summary>
internal static class CostsCommand
{
    public static Command Create(CliGlobals globals)
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start (default 30 days ago)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End, exclusive (default now)." };
        var command = new Command("costs", "Show spend per day and the saving against always-on machines.") { from, to };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var daily = await client.GetDailyCostsAsync(parse.GetValue(from), parse.GetValue(to), ct);
            var savings = await client.GetSavingsAsync(parse.GetValue(from), parse.GetValue(to), ct);
            output.Write(new { daily, savings }, console =>
            {
                var table = new Table().AddColumns("DAY", "COST");
                foreach (var day in daily.Days.Where(d => d.Cost != 0))
                {
                    table.AddRow(day.Date, CliOutput.Money(day.Cost));
                }

                console.Write(table);
                console.MarkupLine(Markup.Escape(
                    $"Total {CliOutput.Money(daily.Total)} USD from {CliOutput.Time(daily.From)} to {CliOutput.Time(daily.To)} (as of {CliOutput.Time(daily.AsOf)}); " +
                    $"always on it would have been {CliOutput.Money(savings.AlwaysOnCost)}, a saving of {CliOutput.Money(savings.Saving)} ({savings.SavingPercent:0.#}%)."));
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
