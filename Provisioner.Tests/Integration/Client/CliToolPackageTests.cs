using System.Diagnostics;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.Client;

/// <summary>
/// The command as users get it: the client library and the tool packed into nupkgs, the tool installed from that local
/// folder alone (no other package source), and the installed <c>provisioner</c> run against the real stack.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class CliToolPackageTests(ClientStack stack) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("provisioner-tool-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedTool_InstallsFromALocalFolder_AndRuns()
    {
        var feed = Path.Combine(_work, "feed");
        var tools = Path.Combine(_work, "tools");
        var config = Path.Combine(_work, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        // --no-build: the projects are built (the tests run from that build); packing must not rebuild under running tests.
        var packCli = await DotnetAsync("pack", Path.Combine(RepositoryPaths.Root, "Provisioner.Cli", "Provisioner.Cli.csproj"), "-c", RepositoryPaths.Configuration, "--no-build", "-o", feed);
        var packClient = await DotnetAsync("pack", Path.Combine(RepositoryPaths.Root, "Provisioner.Client", "Provisioner.Client.csproj"), "-c", RepositoryPaths.Configuration, "--no-build", "-o", feed);
        var install = await DotnetAsync("tool", "install", "provisioner", "--tool-path", tools, "--configfile", config);
        var run = await CliProcess.RunAsync(
            new Dictionary<string, string> { ["PROVISIONER_URL"] = stack.Api.BaseAddress.ToString(), ["PROVISIONER_API_KEY"] = stack.TenantKey },
            ["offers", "--gpu", "A100", "--json"], command: Path.Combine(tools, "provisioner"));

        packCli.ExitCode.Should().Be(0, packCli.ToString());
        packClient.ExitCode.Should().Be(0, packClient.ToString());
        Directory.GetFiles(feed).Select(Path.GetFileName).Should().BeEquivalentTo(["provisioner.1.0.0.nupkg", "Provisioner.Client.1.0.0.nupkg"]);
        install.ExitCode.Should().Be(0, install.ToString());
        run.ExitCode.Should().Be(0, run.ToString());
        run.Json.AsArray().Should().NotBeEmpty();
    }

    private async Task<CliRun> DotnetAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _work };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
