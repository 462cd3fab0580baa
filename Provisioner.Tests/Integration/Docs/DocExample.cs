using System.Text.RegularExpressions;

namespace Provisioner.Tests.Integration.Docs;

/// <summary>
/// One fenced <c>```bash</c> (or <c>```sh</c>) block of a markdown file: where it starts, its text, and why it is not
/// run when its first line says <c># docs-test: skip — reason</c> (visible to readers, so a skipped example is never a
/// silent one).
/// </summary>
public sealed partial record DocExample(string File, int Line, string Code, string? SkipReason)
{
    /// <summary>Every shell block of <paramref name="markdown"/>, in order; other fences (json, output) are not examples.</summary>
    public static IReadOnlyList<DocExample> Parse(string file, string markdown)
    {
        var lines = markdown.Split('\n');
        var examples = new List<DocExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            var shell = fence.Groups["lang"].Value is "bash" or "sh";
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            if (shell)
            {
                var body = lines[start..end];
                var skip = body.Length > 0 ? Skip().Match(body[0]) : Match.Empty;
                examples.Add(new DocExample(file, start + 1, string.Join('\n', body), skip.Success ? skip.Groups["reason"].Value.Trim() : null));
            }

            i = end;
        }

        return examples;
    }

    [GeneratedRegex(@"^\s*```(?<lang>[A-Za-z0-9_+-]*)")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^#\s*docs-test:\s*skip\s*[—-]?\s*(?<reason>.*)$")]
    private static partial Regex Skip();
}
