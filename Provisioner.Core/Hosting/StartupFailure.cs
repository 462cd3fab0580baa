using Microsoft.Extensions.Options;

namespace Provisioner.Core.Hosting;

/// <summary>
/// A process that cannot start (a wrong setting, no database) says why on stderr in a line or two and exits
/// with <see cref="ExitCode"/>. Without this the runtime aborts on the unhandled exception (exit 134, SIGABRT,
/// perhaps a core dump) and buries the reason in a stack trace. The host's own "Hosting failed to start" log
/// entry is still written before this runs.
/// </summary>
public static class StartupFailure
{
    /// <summary>EX_CONFIG from sysexits.h: the configuration is wrong. Supervisors should not restart in a tight loop.</summary>
    public const int ExitCode = 78;

    /// <summary>Call first thing in <c>Program</c>.</summary>
    public static void ExitCleanly(string processName) =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Console.Error.WriteLine($"{processName} stopped: {Describe(e.ExceptionObject as Exception)}");
            Console.Error.Flush();
            Environment.Exit(ExitCode);
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

    private static string Settings(IEnumerable<string> failures) =>
        "invalid settings:" + string.Concat(failures.Distinct().Select(f => $"{Environment.NewLine}  {f}"));
}
