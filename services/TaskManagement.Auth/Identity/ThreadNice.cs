using System.Runtime.InteropServices;

namespace TaskManagement.Auth.Identity;

/// <summary>The calling thread's scheduling priority on Linux, where <c>Thread.Priority</c> has no effect.</summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>
    /// Sets the calling thread's nice value (on Linux it is per thread; who = 0 is the caller). Lowering it needs
    /// CAP_SYS_NICE: without it, or off Linux, nothing changes and false is returned.
    /// </summary>
    public static bool TryRaise(int nice) => OperatingSystem.IsLinux() && SetPriority(PrioProcess, 0, nice) == 0;

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
