using Provisioner.Client;
using Provisioner.Client.Models;
using Spectre.Console;

namespace Provisioner.Cli;

/// <summary>Instances as tables: one row each for <c>ls</c>, every field for <c>get</c>.</summary>
internal static class InstanceTable
{
    public static Table Rows(IEnumerable<Instance> instances)
    {
        var table = new Table().AddColumns("ID", "STATUS", "PROVIDER", "TYPE", "REGION", "GPUS", "$/H", "COST", "CREATED");
        foreach (var i in instances)
        {
            table.AddRow(i.Id.ToString(), StatusMarkup(i.Status), Markup.Escape(i.Provider), Markup.Escape(i.InstanceType), Markup.Escape(i.Region),
                i.GpuCount.ToString(System.Globalization.CultureInfo.InvariantCulture), CliOutput.Money(i.CostPerHour), CliOutput.Money(i.TotalCost), CliOutput.Time(i.CreatedAt));
        }

        return table;
    }

    public static Table Detail(Instance i)
    {
        var table = new Table().HideHeaders().AddColumns("field", "value");
        void Row(string name, string? value) => table.AddRow(name, value is null ? "-" : Markup.Escape(value));
        table.AddRow("id", i.Id.ToString());
        table.AddRow("status", StatusMarkup(i.Status));
        Row("provider", i.Backend is null || i.Backend == i.Provider ? i.Provider : $"{i.Provider} (run by {i.Backend})");
        Row("instanceType", i.InstanceType);
        Row("region", i.Region);
        Row("gpus", i.GpuCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row("publicIp", i.PublicIp);
        Row("cloudInstanceId", i.CloudInstanceId);
        Row("costPerHour", CliOutput.Money(i.CostPerHour));
        Row("totalCost", CliOutput.Money(i.TotalCost));
        Row("userId", i.UserId);
        Row("createdAt", CliOutput.Time(i.CreatedAt));
        Row("readyAt", CliOutput.Time(i.ReadyAt));
        Row("autoTerminateAt", CliOutput.Time(i.AutoTerminateAt));
        Row("terminatedAt", CliOutput.Time(i.TerminatedAt));
        Row("failureReason", i.FailureReason);
        Row("onInterruption", i.OnInterruption);
        Row("interruptions", i.Interruptions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return table;
    }

    /// <summary>Every machine an instance had, with the time each was billed and its cost (their sum is the instance's).</summary>
    public static Table Machines(IEnumerable<InstanceMachine> machines)
    {
        var table = new Table().AddColumns("#", "CLOUD ID", "PROVIDER", "TYPE", "REGION", "MARKET", "$/H", "LAUNCHED", "ENDED", "BILLED S", "COST", "RELEASED");
        foreach (var m in machines)
        {
            table.AddRow(
                m.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + (m.Current ? " (current)" : ""), Markup.Escape(m.CloudInstanceId),
                Markup.Escape(m.Provider), Markup.Escape(m.InstanceType), Markup.Escape(m.Region), m.Market, CliOutput.Money(m.PricePerHour),
                CliOutput.Time(m.LaunchedAt), m.EndedAt is { } ended ? CliOutput.Time(ended) : "-",
                m.BilledSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), CliOutput.Money(m.Cost),
                m.ReleasedAt is { } released ? CliOutput.Time(released) : "-");
        }

        return table;
    }

    public static string StatusMarkup(string status) => status switch
    {
        InstanceStatuses.Ready or InstanceStatuses.Running => $"[green]{status}[/]",
        InstanceStatuses.Failed => $"[red]{status}[/]",
        InstanceStatuses.Terminated => $"[grey]{status}[/]",
        _ => $"[yellow]{Markup.Escape(status)}[/]",
    };
}
