using System.Globalization;
using System.Runtime.InteropServices;

namespace Provisioner.Worker.Hosting;

/// <summary>
/// Lowers the worker's CPU priority (<see cref="WorkerOptions.Nice"/>), so that on a machine it shares with the API a
/// client's request is answered before a job step runs. Linux's nice value belongs to each thread, and a new thread
/// takes its creator's: every thread the process has is set, early, and the ones started later inherit the value.
/// When the kernel groups CPU time by session (autogroup, where no cgroup decides), the group's own nice value is what
/// weighs the worker against the API's group, so it is set too, but only when the worker leads its session: a worker
/// started in a terminal beside the API shares the API's group, and lowering that would slow the API as well.
/// </summary>
internal static class CpuPriority
{
    private const int PrioProcess = 0;
    private const int Esrch = 3;
    private const string Autogroup = "/proc/self/autogroup";

    /// <summary>Sets <paramref name="nice"/> on every thread of this process and, when it leads its session, on its autogroup.</summary>
    public static CpuPriorityOutcome Lower(int nice)
    {
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return new CpuPriorityOutcome(nice, 0, 0, AutogroupOutcome.NotTouched);
        }

        int set = 0, refused = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var threadId))
            {
                continue;
            }

            if (SetPriority(PrioProcess, threadId, nice) == 0)
            {
                set++;
            }
            else if (Marshal.GetLastPInvokeError() != Esrch)
            {
                // (A thread that ended meanwhile, ESRCH, is neither set nor refused.)
                // EACCES: the thread already runs at a higher nice than asked, which only a privileged process may lower.
                refused++;
            }
        }

        return new CpuPriorityOutcome(nice, set, refused, LowerAutogroup(nice));
    }

    private static AutogroupOutcome LowerAutogroup(int nice)
    {
        if (!File.Exists(Autogroup))
        {
            return AutogroupOutcome.NotTouched;
        }

        if (GetSessionId(0) != Environment.ProcessId)
        {
            return AutogroupOutcome.SharedSession;
        }

        try
        {
            File.WriteAllText(Autogroup, nice.ToString(CultureInfo.InvariantCulture));
            return AutogroupOutcome.Set;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return AutogroupOutcome.Refused;
        }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "getsid", SetLastError = true)]
    private static extern int GetSessionId(int pid);
}

/// <summary>What <see cref="CpuPriority.Lower"/> did, for the start-up log.</summary>
internal sealed record CpuPriorityOutcome(int Nice, int ThreadsSet, int ThreadsRefused, AutogroupOutcome Autogroup);

/// <summary>What became of the session's CPU group (Linux autogroup).</summary>
internal enum AutogroupOutcome
{
    /// <summary>Nice 0, not Linux, or the kernel has no autogroups.</summary>
    NotTouched,

    /// <summary>The worker leads its session: the group is the worker's own, and its nice value was set.</summary>
    Set,

    /// <summary>The worker shares its session (and so its group) with whatever started it; the group was left alone.</summary>
    SharedSession,

    /// <summary>The kernel refused the group's new value (a lower nice than it had needs privileges).</summary>
    Refused,
}
