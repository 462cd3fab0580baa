using System.Globalization;
using Provisioner.Tests.Support;

namespace Provisioner.Tests.Integration.MultiProcess;

/// <summary>
/// <c>Worker:Nice</c> on real processes, read back from /proc: every thread of the worker runs at the value (those started
/// for the work too), the API keeps the priority it was started with, and the session's CPU group is set only for a
/// worker that leads its own session (as deploy/local/up.sh starts it), never for one sharing its starter's session.
/// </summary>
public sealed class WorkerCpuPriorityTests(WorkerCpuPriorityTests.NiceStack stack) : IClassFixture<WorkerCpuPriorityTests.NiceStack>
{
    private const int Nice = 7;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public sealed class NiceStack : ProvisionerStack
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Worker__Nice"] = "7" };
    }

    [Fact]
    public async Task Worker_AfterALifecycle_RunsEveryThreadAtItsNice_WhileTheApiKeepsItsOwn()
    {
        await stack.RunLifecycleAsync(Patience);
        var started = ProcStat.Nice($"/proc/{Environment.ProcessId}/stat");

        var workerThreads = ThreadNices(stack.Workers[0].Pid);
        var apiThreads = ThreadNices(stack.Api.Pid);

        workerThreads.Should().HaveCountGreaterThan(10, "a worker runs its job threads, the thread pool and the host's");
        workerThreads.Should().OnlyContain(nice => nice == Math.Max(Nice, started), "every thread of the worker, including those started after start-up, runs at Worker:Nice");
        apiThreads.Should().OnlyContain(nice => nice == started, "the API does not read Worker:Nice");
    }

    [Fact]
    public async Task Worker_LeadingItsOwnSession_LowersItsCpuGroup_AndOneSharingTheTestsSessionLeavesThatGroupAlone()
    {
        var ownGroupBefore = File.Exists("/proc/self/autogroup") ? await File.ReadAllTextAsync("/proc/self/autogroup") : null;
        var leader = await stack.StartWorkerAsync("worker-own-session", ownSession: true);

        ProcStat.Session($"/proc/{leader.Pid}/stat").Should().Be(leader.Pid, "setsid made the worker its session's leader");
        var sharing = stack.Workers[0];
        ProcStat.Session($"/proc/{sharing.Pid}/stat").Should().NotBe(sharing.Pid, "the first worker was started in the test run's session");
        if (ownGroupBefore is null)
        {
            // A kernel without autogroups: there is no group to set, and the worker says so.
            leader.Output.Should().Contain("the session's CPU group: NotTouched");
            return;
        }

        (await File.ReadAllTextAsync($"/proc/{leader.Pid}/autogroup")).Should().EndWith($"nice {Nice}\n", "the worker's own group yields to the API's");
        leader.Output.Should().Contain("the session's CPU group: Set");
        (await File.ReadAllTextAsync($"/proc/{sharing.Pid}/autogroup")).Should().Be(ownGroupBefore, "the group it shares with the test run is not the worker's to lower");
        (await File.ReadAllTextAsync("/proc/self/autogroup")).Should().Be(ownGroupBefore);
        sharing.Output.Should().Contain("the session's CPU group: SharedSession");
    }

    [Fact]
    public async Task Worker_WithANiceOutOfRange_ExitsNonZeroNamingTheSetting()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Provisioner"] = stack.Database.ConnectionString,
            ["Worker__Nice"] = "20",
        };

        var (exitCode, output) = await HostProcess.RunToExitAsync(RepositoryPaths.WorkerDll, environment, Patience);

        exitCode.Should().NotBe(0, output);
        output.Should().Contain("Worker:Nice must be between 0 and 19 (it is 20)");
    }

    /// <summary>The nice value of each thread the process has now (a thread that ends while being read is skipped).</summary>
    private static List<int> ThreadNices(int pid)
    {
        var nices = new List<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                nices.Add(ProcStat.Nice(Path.Combine(task, "stat")));
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read: it has no priority left to check.
            }
        }

        return nices;
    }

    /// <summary>Fields of /proc/.../stat, counted after the command name (which may hold spaces and parentheses).</summary>
    private static class ProcStat
    {
        public static int Nice(string path) => Field(path, 19);

        public static int Session(string path) => Field(path, 6);

        /// <param name="number">The field's number as proc(5) counts them (pid is 1).</param>
        private static int Field(string path, int number)
        {
            var text = File.ReadAllText(path);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        }
    }
}
