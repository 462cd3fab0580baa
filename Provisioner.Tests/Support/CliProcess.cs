using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Provisioner.Tests.Support;

/// <summary>The <c>provisioner</c> command run as a real process: its exit code, stdout and stderr.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>stdout as the one JSON document <c>--json</c> promises.</summary>
    public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new Xunit.Sdk.XunitException($"stdout is not JSON:\n{this}");

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

public static class CliProcess
{
    /// <summary>Runs <paramref name="command"/> (or the built dll) with only the environment given, and waits for it to end.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args,
        string? command = null, TimeSpan? timeout = null)
    {
        var start = command is null ? new ProcessStartInfo("dotnet", [RepositoryPaths.CliDll, .. args]) : new ProcessStartInfo(command, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // What the caller gives, not the test runner's own settings (a PROVISIONER_URL left in a shell, say).
        foreach (var name in new[] { "PROVISIONER_URL", "PROVISIONER_API_KEY", "PROVISIONER_PROFILE", "PROVISIONER_CONFIG" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["PROVISIONER_CONFIG"] = Path.Combine(Path.GetTempPath(), "provisioner-no-config-" + Guid.NewGuid().ToString("N") + ".json");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"provisioner {string.Join(' ', args)} did not end within {timeout ?? TimeSpan.FromMinutes(3)}:\n{await stdout}\n{await stderr}");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
