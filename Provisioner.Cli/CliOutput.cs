using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioner.Client;
using Provisioner.Client.Models;
using Spectre.Console;

namespace Provisioner.Cli;

/// <summary>
/// What the command prints: with <c>--json</c>, exactly one JSON document on stdout (the result, or
/// <c>{"error": {…}}</c>) and progress on stderr; otherwise tables and messages for a person.
/// </summary>
internal sealed class CliOutput(bool json)
{
    private static readonly JsonSerializerOptions JsonOptions = new(ClientJson.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly IAnsiConsole _console = CreateConsole();

    public bool Json { get; } = json;

    /// <summary>A live display is drawn only on a terminal, and never in JSON mode.</summary>
    public bool Interactive => !Json && _console.Profile.Capabilities.Interactive;

    public IAnsiConsole Console => _console;

    public void Write<T>(T value, Action<IAnsiConsole> human)
    {
        if (Json)
        {
            System.Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
        else
        {
            human(_console);
        }
    }

    /// <summary>A progress line: to stderr in JSON mode, so that stdout stays one document.</summary>
    public void Progress(string line)
    {
        if (Json)
        {
            System.Console.Error.WriteLine(line);
        }
        else
        {
            _console.MarkupLine(Markup.Escape(line));
        }
    }

    public void Error(string code, string message)
    {
        if (Json)
        {
            System.Console.Out.WriteLine(JsonSerializer.Serialize(new { error = new { code, message } }, JsonOptions));
        }

        System.Console.Error.WriteLine($"error: {message}");
    }

    public void Problem(ProvisionerProblemException problem)
    {
        if (Json)
        {
            System.Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                error = new { problem.Code, status = (int)problem.Status, problem.Field, problem.Title, problem.Detail, problem.Errors, problem.TraceId },
            }, JsonOptions));
        }

        System.Console.Error.WriteLine($"error: {(int)problem.Status} {problem.Code}{(problem.Field is null ? "" : $" ({problem.Field})")}: {problem.Detail ?? problem.Title}");
        foreach (var error in problem.Errors.Skip(1))
        {
            System.Console.Error.WriteLine($"       {error.Field}: {error.Code}: {error.Message}");
        }
    }

    public void Failed(Instance instance)
    {
        Write(instance, console => console.Write(InstanceTable.Detail(instance)));
        System.Console.Error.WriteLine($"error: instance {instance.Id} is {instance.Status}: {instance.FailureReason ?? "it ended before it was ready"}");
    }

    /// <summary>
    /// Spectre's console, but when stdout is a pipe or file, as wide as a table needs: it would otherwise assume 80
    /// columns and wrap instance ids, which a script then cannot grep.
    /// </summary>
    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 1000;
        }

        return console;
    }

    public static string Money(decimal value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
