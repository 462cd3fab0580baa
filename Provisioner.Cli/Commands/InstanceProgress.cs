using Provisioner.Client;
using Provisioner.Client.Models;
using Provisioner.Client.Waiting;
using Spectre.Console;

namespace Provisioner.Cli.Commands;

/// <summary>
/// Waits for an instance, showing each change: its status and what the cloud last said (the newest event's cause, and
/// a refused or failed launch attempt's answer). On a terminal a live status line; otherwise one line per change.
/// </summary>
internal static class InstanceProgress
{
    public static async Task<Instance> WaitAsync(ProvisionerClient client, CliOutput output, Instance instance, bool ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var attemptsShown = 0;
        async Task<string> DescribeAsync(Instance current, CancellationToken ct)
        {
            var events = await client.GetInstanceEventsAsync(current.Id, ct);
            var said = events.Count > 0 ? events[^1].Cause : "requested";
            var attempts = await client.GetLaunchAttemptsAsync(current.Id, ct);
            foreach (var attempt in attempts.Skip(attemptsShown).Where(a => a.Outcome != "LAUNCHED"))
            {
                said += $"; {attempt.Provider} {attempt.InstanceType} in {attempt.Region}: {attempt.Outcome}{(attempt.Detail is null ? "" : $" ({attempt.Detail})")}";
            }

            attemptsShown = attempts.Count;
            if (current.WaitingFor is { } waitingFor)
            {
                said += $"; waiting for {waitingFor}, next try {current.NextTryAt:HH:mm:ss}, until {current.CapacityWaitUntil:HH:mm:ss}";
            }

            return $"{current.Status,-12} {current.Provider} {current.InstanceType} {current.Region} — {said}";
        }

        var options = new WaitOptions { Timeout = timeout };
        if (!output.Interactive)
        {
            options = options with { OnChange = async (current, ct) => output.Progress($"{current.Id} {await DescribeAsync(current, ct)}") };
            return ready
                ? await client.WaitUntilReadyAsync(instance.Id, options, cancellationToken)
                : await client.WaitUntilFinishedAsync(instance.Id, options, cancellationToken);
        }

        Instance? result = null;
        await output.Console.Status().Spinner(Spinner.Known.Dots).StartAsync($"{instance.Id} {instance.Status}", async context =>
        {
            options = options with
            {
                OnChange = async (current, ct) =>
                {
                    var line = await DescribeAsync(current, ct);
                    // Each change stays on screen; the spinner shows the latest.
                    output.Console.MarkupLine($"[grey]{TimeProvider.System.GetUtcNow():HH:mm:ss}[/] {Markup.Escape(line)}");
                    context.Status(Markup.Escape(line));
                },
            };
            result = ready
                ? await client.WaitUntilReadyAsync(instance.Id, options, cancellationToken)
                : await client.WaitUntilFinishedAsync(instance.Id, options, cancellationToken);
        });
        return result!;
    }
}
