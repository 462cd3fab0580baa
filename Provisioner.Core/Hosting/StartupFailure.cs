using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>
/// A process that cannot start says why on stderr and exits non-zero: a wrong setting in a line per problem with
/// <see cref="SettingsExitCode"/>, anything else (no database, a bug) in full with <see cref="FailureExitCode"/>.
/// Without this the runtime aborts on the unhandled exception (exit 134, SIGABRT, perhaps a core dump) and buries
/// the reason in a stack trace. The host's own "Hosting failed to start" log entry is still written before this runs.
/// </summary>
public static class StartupFailure
{
    /// <summary>EX_CONFIG from sysexits.h: the configuration is wrong, and restarting will not fix it.</summary>
    public const int SettingsExitCode = 78;

    /// <summary>Any other failure that reached the top of the process.</summary>
    public const int FailureExitCode = 1;

    /// <summary>Call first thing in <c>Program</c>.</summary>
    public static void ExitCleanly(string processName) =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            var error = e.ExceptionObject as Exception;
            Console.Error.WriteLine($"{processName} stopped: {Describe(error)}");
            Console.Error.Flush();
            Environment.Exit(IsSettingsFailure(error) ? SettingsExitCode : FailureExitCode);
        };

    /// <summary>Settings failures one per line, each naming its key; anything else in full, stack included.</summary>
    public static string Describe(Exception? error) => error switch
    {
        OptionsValidationException invalid => Settings(invalid.Failures),
        // One per options instance; a provider's settings include the defaults, so a bad default is named twice.
        AggregateException { InnerExceptions.Count: > 0 } many when many.InnerExceptions.All(i => i is OptionsValidationException) =>
            Settings(many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)),
        InvalidOperationException { InnerException: FormatException or InvalidCastException or OverflowException } binding =>
            $"invalid settings: {binding.Message} {binding.InnerException!.Message}",
        null => "unknown error",
        _ => error.ToString(),
    };

    private static bool IsSettingsFailure(Exception? error) => error is OptionsValidationException
        || error is AggregateException { InnerExceptions.Count: > 0 } many && many.InnerExceptions.All(i => i is OptionsValidationException)
        || error is InvalidOperationException { InnerException: FormatException or InvalidCastException or OverflowException };

    private static string Settings(IEnumerable<string> failures) =>
        "invalid settings:" + string.Concat(failures.Distinct().Select(f => $"{Environment.NewLine}  {f}"));
}
