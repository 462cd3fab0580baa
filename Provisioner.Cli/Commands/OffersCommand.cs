using System.CommandLine;
using Provisioner.Client.Models;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary><c>provisioner offers --gpu A100</c>: what <c>up</c> would choose from, cheapest fitting first.</summary>
internal static class OffersCommand
{
    public static Command Create(CliGlobals globals)
    {
        var gpu = new Option<string?>("--gpu") { Description = "GPU model." };
        var count = new Option<int?>("--count") { Description = "GPUs, 1-8." };
        var maxPrice = new Option<decimal?>("--max-price") { Description = "Per hour, USD." };
        var spot = new Option<string?>("--spot") { Description = "never, preferred or required." };
        var command = new Command("offers", "Rank the offers for a GPU, as up would.") { gpu, count, maxPrice, spot };
        command.SetAction((parse, cancellationToken) => globals.RunAsync(parse, async (client, output, ct) =>
        {
            var offers = await client.ListOffersAsync(new OfferQuery(parse.GetValue(gpu), parse.GetValue(count), MaxPricePerHour: parse.GetValue(maxPrice), Spot: parse.GetValue(spot)), ct);
            output.Write(offers, console =>
            {
                var table = new Table().AddColumns("PROVIDER", "TYPE", "REGION", "MARKET", "GPU", "$/H", "AVAILABLE");
                foreach (var o in offers)
                {
                    table.AddRow(Markup.Escape(o.Provider), Markup.Escape(o.InstanceType), Markup.Escape(o.Region), o.Market,
                        Markup.Escape($"{o.GpuCount}× {o.GpuModel} {o.GpuMemoryGiB} GiB"), CliOutput.Money(o.PricePerHour),
                        o.Available ? "yes" : Markup.Escape($"no, until {CliOutput.Time(o.UnavailableUntil)}: {o.UnavailableReason}"));
                }

                console.Write(table);
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
