using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Provisioner.Tests.Support;

/// <summary>
/// The API or a worker as a real process on loopback, as it runs in production: its own port, its own
/// settings from environment variables, its output kept for the test's failure message.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts <paramref name="dll"/> and returns once its <c>/health/ready</c> answers 200.</summary>
    /// <param name="ownSession">
    /// In a session of its own (<c>setsid</c>), as <c>deploy/local/up.sh</c> and a service manager start it; otherwise in
    /// the test run's session. setsid forks only when its caller leads a process group, which a child of this process
    /// does not, so the process is still the one started here.
    /// </param>
    public static async Task<HostProcess> StartAsync(string name, string dll, IReadOnlyDictionary<string, string> environment, bool ownSession = false)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(ownSession ? "setsid" : "dotnet", ownSession ? ["dotnet", dll] : [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        HostProcess host;
        try
        {
            host = new HostProcess(name, process, new Uri($"http://127.0.0.1:{port}"));
        }
        catch
        {
            // Started but not wrapped (its output could not be read): it must not outlive the test either.
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        try
        {
            // Generous: on a loaded 2-core machine three processes starting at once each take well over the usual few seconds.
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            return host;
        }
        catch
        {
            // A host that never became ready must not outlive the test that started it.
            await host.KillAsync();
            host._process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="dll"/> expecting it to stop by itself (a bad setting, a one-shot command), and returns
    /// its exit code and everything it printed. A process still running at <paramref name="timeout"/> is killed and reported.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dll, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["Urls"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} was still running after {timeout}.\n{string.Join(Environment.NewLine, output)}");
        }

        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, string.Join(Environment.NewLine, output));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGTERM, then wait for the process to drain and exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signals.Send(_process.Id, Signals.SigTerm);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not exit within {timeout} of SIGTERM.\n{Output}");
        }
    }

    /// <summary>A crash: SIGKILL, no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.SigKill);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            // killed above; the test that cares asserts on StopAsync itself
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready.\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (waited.Elapsed < timeout)
            {
                // a probe that timed out (a slow start on a loaded machine) is no answer yet, like one refused
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout}.\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
