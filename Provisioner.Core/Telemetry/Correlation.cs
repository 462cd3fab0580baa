using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Telemetry;

/// <summary>
/// A client's own id for a request (<c>X-Correlation-Id</c>), followed from the API through the outbox into every
/// job of that instance's work, and written on their log lines. Ambient per async flow, like the current activity,
/// but kept apart from it so that it is carried even where no trace is recorded.
/// </summary>
public static class Correlation
{
    public const string Header = "X-Correlation-Id";

    /// <summary>Longest id accepted; the outbox column holds this many characters.</summary>
    public const int MaxLength = 128;

    private static readonly AsyncLocal<string?> Ambient = new();

    private static readonly Func<ILogger, string, IDisposable?> LogScope = LoggerMessage.DefineScope<string>("CorrelationId:{CorrelationId}");

    /// <summary>The id of the request or job this code runs for, if it has one.</summary>
    public static string? Current => Ambient.Value;

    /// <summary>Makes <paramref name="id"/> current until the returned scope ends.</summary>
    public static IDisposable Begin(string? id)
    {
        var previous = Ambient.Value;
        Ambient.Value = id;
        return new Restore(previous);
    }

    /// <summary>Puts <paramref name="id"/> on every line <paramref name="logger"/> writes until the returned scope ends ("CorrelationId:{CorrelationId}").</summary>
    public static IDisposable? BeginLogScope(ILogger logger, string id) => LogScope(logger, id);

    /// <summary>
    /// 1-128 letters, digits and <c>- _ . : / + = @</c>: enough for UUIDs, ULIDs and trace ids, nothing that could
    /// forge a log line or a header. Anything else is replaced, not refused: a tracing aid must not fail a request.
    /// </summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || "-_.:/+=@".Contains(c));

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
