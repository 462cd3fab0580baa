using System.Diagnostics;
using Provisioner.Tests.Support;
using Xunit.Abstractions;

namespace Provisioner.Tests.Integration.Docs;

/// <summary>
/// Every shell example of the README and the docs, run as pasted against a running stack, each file's examples in
/// order in one bash, so the documentation cannot drift from what the system does. Examples that need what a test
/// machine has not (a cloud account, Docker) say so on their first line and are listed here as skipped.
/// </summary>
public sealed class DocExamplesTests(DocExamplesStack stack, ITestOutputHelper output) : IClassFixture<DocExamplesStack>
{
    /// <summary>Generous for a loaded 2-core machine; the examples wait on conditions, each with its own bound.</summary>
    private static readonly TimeSpan FileDeadline = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        foreach (var file in MarkdownWithExamples())
        {
            files.Add(file);
        }

        return files;
    }

    [Fact]
    public void Discovery_FindsTheReadmeAndTheApiReference()
    {
        var files = MarkdownWithExamples().ToList();

        Assert.Contains("README.md", files);
        Assert.Contains("docs/api.md", files);
        Assert.True(DocExample.Parse("docs/api.md", Read("docs/api.md")).Count(e => e.SkipReason is null) >= 10);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Examples_RunAsPasted_Succeed(string file)
    {
        var examples = DocExample.Parse(file, Read(file));
        foreach (var skipped in examples.Where(e => e.SkipReason is not null))
        {
            output.WriteLine($"skipped {skipped.File}:{skipped.Line}: {skipped.SkipReason}");
            Assert.False(string.IsNullOrWhiteSpace(skipped.SkipReason), $"{skipped.File}:{skipped.Line} is skipped without a reason");
        }

        var runnable = examples.Where(e => e.SkipReason is null).ToList();
        output.WriteLine($"{file}: {runnable.Count} example(s) to run, {examples.Count - runnable.Count} skipped");
        if (runnable.Count == 0)
        {
            return;
        }

        var work = Directory.CreateTempSubdirectory("docs-examples-");
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync(file, runnable, work.FullName);
            output.WriteLine(stdout);
            var last = DocScript.LastExample(stdout);
            Assert.True(exitCode == 0,
                $"{file}: the example at {last} failed (exit {exitCode}).\nstderr:\n{stderr}\nstdout (tail):\n{Tail(stdout)}\n{stack.Logs()}");
            Assert.Equal($"{runnable[^1].File}:{runnable[^1].Line}", last);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IReadOnlyList<DocExample> examples, string work)
    {
        // The keys file up.sh writes, in a directory of the test's own: examples write files (request.json, logs).
        Directory.CreateDirectory(Path.Combine(work, ".local"));
        await File.WriteAllTextAsync(
            Path.Combine(work, ".local", "dev-keys.env"),
            $"PROVISIONER_API_KEY={stack.TenantKey}\nPROVISIONER_ADMIN_KEY={stack.AdminKey}\n");
        var replacements = new Dictionary<string, string>
        {
            ["http://127.0.0.1:5080"] = stack.Api.BaseAddress.ToString().TrimEnd('/'),
            ["http://127.0.0.1:5091"] = stack.Workers[0].BaseAddress.ToString().TrimEnd('/'),
            ["127.0.0.1:9000"] = $"127.0.0.1:{stack.ReceiverPort}",
            ["\"127.0.0.1\", 9000"] = $"\"127.0.0.1\", {stack.ReceiverPort}",
            ["Provisioner.Api/bin/Release/net10.0/Provisioner.Api.dll"] = RepositoryPaths.ApiDll,
        };
        var script = Path.Combine(work, "examples.sh");
        await File.WriteAllTextAsync(script, DocScript.Build(examples, replacements));

        var start = new ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Provisioner"] = stack.Database.ConnectionString;
        // `provisioner` as the README's quick start installs it (dotnet tool install): here the built one, by its name.
        var bin = Directory.CreateDirectory(Path.Combine(work, "bin")).FullName;
        var cli = Path.Combine(bin, "provisioner");
        await File.WriteAllTextAsync(cli, $"#!/bin/sh\nexec dotnet '{RepositoryPaths.CliDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        foreach (var name in new[] { "PROVISIONER_URL", "PROVISIONER_API_KEY", "PROVISIONER_PROFILE", "PROVISIONER_CONFIG" })
        {
            start.Environment.Remove(name);   // only what the examples set, never the runner's own shell's
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(FileDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new Xunit.Sdk.XunitException(
                $"{file}: the examples did not finish within {FileDeadline}; the last started: {DocScript.LastExample(await stdout)}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static IEnumerable<string> MarkdownWithExamples()
    {
        var root = RepositoryPaths.Root;
        var candidates = new[] { "README.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f)))
            .Concat(new[] { "deploy/README.md", "bench/README.md" }.Where(f => File.Exists(Path.Combine(root, f))))
            .Select(f => f.Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        return candidates.Where(f => DocExample.Parse(f, Read(f)).Count > 0);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
