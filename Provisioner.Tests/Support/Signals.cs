using System.Runtime.InteropServices;

namespace Provisioner.Tests.Support;

/// <summary>POSIX signals, to stop hosts the way a supervisor does (SIGTERM) or the way a crash does (SIGKILL).</summary>
public static partial class Signals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
