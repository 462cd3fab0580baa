namespace Provisioner.Tests.Support;

/// <summary>
/// Reports a test writes for people (counts, timings): into <c>PROVISIONER_TEST_REPORTS</c>, which
/// deploy/local/test.sh prints at the end of the run.
/// </summary>
public static class TestReports
{
    public static void Write(string name, string text)
    {
        if (Environment.GetEnvironmentVariable("PROVISIONER_TEST_REPORTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, $"{name}.report.txt"), text + Environment.NewLine);
        }
    }

    /// <summary>A file for people to look at (a screenshot, say) beside the reports; nothing when no folder is set.</summary>
    public static void WriteFile(string fileName, byte[] content)
    {
        if (Environment.GetEnvironmentVariable("PROVISIONER_TEST_REPORTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, fileName), content);
        }
    }
}
