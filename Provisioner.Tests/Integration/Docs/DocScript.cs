using System.Text;
using System.Text.RegularExpressions;

namespace Provisioner.Tests.Integration.Docs;

/// <summary>
/// Turns a file's runnable examples into one bash script, run in order in one shell so a later example can use what an
/// earlier one set (<c>$id</c>), with the addresses of the docs (the local stack's fixed ports) pointed at the test's.
/// </summary>
public static partial class DocScript
{
    /// <summary>The line each example's output starts with, so a failure names the example it happened in.</summary>
    public const string Marker = "@@docs-example ";

    /// <summary>
    /// Stops at the first failing command; <c>curl</c> becomes a function that fails on an answer of 400 or more
    /// (<c>curl -s</c> alone exits 0 on any answer) unless the line says <c># answers NNN</c>, then on any other
    /// status; background jobs (the webhook receiver) are stopped however the script ends.
    /// </summary>
    private const string Prelude = """
        set -euo pipefail
        trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
        curl() {
          local errf rc=0 code
          errf=$(mktemp)
          command curl -w '%{stderr}%{http_code}' "$@" 2>"$errf" || rc=$?
          code=$(tail -c 3 "$errf"); head -c -3 "$errf" >&2; rm -f "$errf"
          [ "$rc" -eq 0 ] || return "$rc"
          if [ -n "${DOCS_EXPECT_STATUS:-}" ]; then
            [ "$code" = "$DOCS_EXPECT_STATUS" ] || { echo "docs-test: expected HTTP $DOCS_EXPECT_STATUS, got $code" >&2; return 22; }
          elif [ "$code" -ge 400 ]; then
            echo "docs-test: HTTP $code" >&2; return 22
          fi
        }

        """;

    public static string Build(IEnumerable<DocExample> examples, IReadOnlyDictionary<string, string> replacements)
    {
        var script = new StringBuilder(Prelude);
        foreach (var example in examples.Where(e => e.SkipReason is null))
        {
            var code = replacements.Aggregate(example.Code, (text, r) => text.Replace(r.Key, r.Value, StringComparison.Ordinal));
            code = ExpectedStatus().Replace(code, m => $"DOCS_EXPECT_STATUS={m.Groups["status"].Value} {m.Value}");
            script.Append(CultureInfoInvariant($"\nprintf '\\n{Marker}{example.File}:{example.Line}\\n'\n"));
            script.Append(code).Append('\n');
        }

        return script.ToString();
    }

    /// <summary>The example a script's output stopped in: the last marker it printed.</summary>
    public static string? LastExample(string output) =>
        output.Split('\n').LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))?[Marker.Length..];

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^curl .*# answers (?<status>\d{3})\b.*$", RegexOptions.Multiline)]
    private static partial Regex ExpectedStatus();
}
