using System.CommandLine;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner events ID</c>: the instance's timeline and every launch attempt with what the cloud said.</summary>
internal static class EventsCommand
{
    public static Command Create(CliGlobals globals)
    {
        var id = new Argument<Guid>("id") { Description = "The instance's id." };
        var command = new Command("events", "Show an instance's timeline and launch attempts.") { id };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var events = await client.GetInstanceEventsAsync(parse.GetValue(id), ct);
            var attempts = await client.GetLaunchAttemptsAsync(parse.GetValue(id), ct);
            output.Write(new { events, attempts }, console =>
            {
                var timeline = new Table().AddColumns("AT", "FROM", "TO", "CAUSE");
                foreach (var e in events)
                {
                    timeline.AddRow(CliOutput.Time(e.At), e.From ?? "-", InstanceTable.StatusMarkup(e.To), Markup.Escape(e.Cause));
                }

                console.Write(timeline);
                if (attempts.Count > 0)
                {
                    var tried = new Table().AddColumns("#", "PROVIDER", "TYPE", "REGION", "MARKET", "$/H", "OUTCOME", "WHAT THE CLOUD SAID");
                    foreach (var a in attempts)
                    {
                        tried.AddRow(a.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(a.Provider), Markup.Escape(a.InstanceType),
                            Markup.Escape(a.Region), a.Market, CliOutput.Money(a.PricePerHour), a.Outcome, Markup.Escape(a.Detail ?? "-"));
                    }

                    console.Write(tried);
                }
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
